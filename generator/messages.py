"""Every message staff can see from loading and validating the data, with what it means.

The guide's table of messages (content/guide.md, between the ``messages`` markers) is rendered
from :data:`MESSAGES` by :func:`guide_table`, and tests/test_messages.py fails when the table in
the guide differs, so the two cannot drift apart. The tests also hold every message they produce
against this list (:func:`find`): a new message needs a row here, which puts it in the guide.

A template is a message as printed, with ``…`` where it names a value from the data.
``python -m generator.messages`` rewrites the table in the guide after a change here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_REFUSED = "数据文件中的每一项都要完整写出，不支持锚点（&）、别名（*）和合并键（<<）"
_SYNTAX = "YAML 语法错误："


@dataclass(frozen=True)
class Message:
    """One message: how it reads and what to do about it."""

    template: str
    """The message, with ``…`` where it names a value from the data."""
    meaning: str
    """What it means and how to correct it (HTML: a cell of the guide's table)."""


@dataclass(frozen=True)
class Section:
    """Messages of one kind, a heading row in the guide's table."""

    title: str
    messages: tuple[Message, ...]


M = Message

SECTIONS = (
    Section(
        "文件和文件夹",
        (
            M(
                "…，无法读取通报数据",
                "找不到或打不开 <code>data/</code>、<code>data/notices/</code> 文件夹：在项目文件夹中运行命令",
            ),
            M("应为文件夹（不能是符号链接或文件），无法读取通报数据", "<code>data/notices/</code> 要是普通的文件夹"),
            M(
                "没有找到任何通报数据文件（应为 data/notices/年-月.yaml），不会生成空的网站",
                "数据文件夹里没有通报：确认在正确的项目文件夹中",
            ),
            M(
                "不是通报数据文件的名称，未读取：…",
                "按 <code>2023-09.yaml</code> 的格式命名；备份和其他文件请移出 <code>data/notices/</code>",
            ),
            M("是…，不是普通文件，未读取；数据文件只能是普通文件", "符号链接、文件夹等不读取：换成普通文件"),
            M("文件不存在", "命令中写的文件名有误，或文件已被移走"),
            M("没有读取权限", "文件的权限不允许读取：请网站维护人员检查"),
            M("无法读取（…）", "操作系统拒绝读取这个文件：请网站维护人员检查"),
            M("文件名应为“年-月.yaml”，如 2023-08.yaml", "按 <code>2023-09.yaml</code> 的格式命名"),
            M("与文件名不一致：文件名为 …，此处为 …", "文件名的年月和 <code>meta.period</code> 要一致"),
            M("… 的通报已在 … 中，同一月份只能有一个文件", "同一个月写了两个文件：删掉多余的一个"),
            M("文件过大（… MB），一个数据文件最多 … MB", "一个文件只写一期通报；真实的通报约 14 KB"),
            M("文件不是 UTF-8 编码（第 … 个字节无法识别）", "用编辑器把文件另存为 UTF-8 编码"),
            M("含有不允许的…，请删除", "复制来的文字带有无法显示的控制字符：删掉它（编辑器中常显示为方框或问号）"),
            M("问题过多，只列出前 … 处，文件的其余部分未检查", "先改正列出的问题，再运行一次校验"),
            M("数据项过多（超过 … 项），一个数据文件写一期通报即可", "一个文件只写一期通报"),
            M("数据校验未通过：… 个文件中共有 … 处问题。", "上面列出了全部问题：都改正后再运行一次校验"),
        ),
    ),
    Section(
        "YAML 写法",
        (
            M(_SYNTAX + "缩进里有制表符（Tab）：缩进只能用空格，请把 Tab 换成空格", "缩进只能用空格"),
            M(
                _SYNTAX + "冒号后缺少空格：应写作“…: …”（字段名、冒号、空格、值）",
                "如 <code>count:5235</code> 改为 <code>count: 5235</code>",
            ),
            M(_SYNTAX + "字段名后用了全角冒号“：”：应改为半角冒号加空格，写作“…: …”", "字段名后的冒号用半角"),
            M(_SYNTAX + "字段名后缺少冒号：应写作“…: 值”", "字段名后写冒号、空格，再写值"),
            M(_SYNTAX + "列表项的“-”后要有一个空格：应写作“- …”", "如 <code>-停水停电</code> 改为 <code>- 停水停电</code>"),
            M(_SYNTAX + "引号没有闭合：以 … 开始的文字要以 … 结束，请在文字末尾补上 …", "引号要成对"),
            M(_SYNTAX + "引号只能括住整段文字：去掉这对引号，或改用全角引号（‘’或“”）", "文字中间的引号用全角"),
            M(
                _SYNTAX + "以“[”或“{”开头的文字要整段加引号：应写作 …（或改用全角括号）",
                "<code>[</code>、<code>{</code> 开头的文字会被当作列表或表格的一行",
            ),
            M(
                _SYNTAX + "此行的“…”没有对应的“…”：表格的一行要写在同一行里，"
                "如 - {unit: '郏县', score: 119.87, rank: 1}，项与项之间用逗号和空格隔开",
                "补上右括号；表格的一行不能分成几行写",
            ),
            M(_SYNTAX + "缩进不一致：此行…；同一层的字段要左对齐，下一层比上一层多缩进 2 格", "按信息所说调整这一行开头的空格"),
            M(
                _SYNTAX + "此处不能出现冒号：冒号后要有空格；文字中有半角冒号时，请给整段文字加引号或改用全角冒号",
                "文字里的半角冒号加空格会被当作字段名",
            ),
            M(_SYNTAX + "缺少冒号：每个字段应写作“字段名: 值”", "字段名后写冒号、空格，再写值"),
            M(_SYNTAX + "缩进不一致，或缺少字段名：同一层的字段要左对齐", "同一层的字段要左对齐"),
            M(_SYNTAX + "缩进不一致：同一层的字段要左对齐", "同一层的字段要左对齐"),
            M(_SYNTAX + "列表项的缩进不一致：同一列表的各项“- ”要左对齐", "同一列表的各项左对齐"),
            M(_SYNTAX + "行内的“{ }”或“[ ]”没有闭合，或两项之间缺少逗号", "补上右括号或逗号"),
            M(_SYNTAX + "文件意外结束：引号没有闭合，请在文字末尾补上引号", "引号要成对"),
            M(
                _SYNTAX + "双引号中的反斜杠“\\”后面的写法无效：要写反斜杠本身请写成“\\\\”，或改用单引号",
                "双引号中的 <code>\\</code> 有特殊含义",
            ),
            M("…转义写法表示的字符无效（如 \\ud800），请直接写出该字符", "直接写出字符，不用 <code>\\u</code> 写法"),
            M("…一个文件只能有一份文档（不要使用 ---）", "删掉 <code>---</code> 及其后的第二份内容"),
            M("…嵌套层数过多（超过 … 层）", "真实的通报最多嵌套 6 层：检查缩进"),
            M(_SYNTAX + "引用了未定义的锚点：每一项都要完整写出，不使用别名（*）", "照原文完整写出"),
            M(_SYNTAX + "此处不能出现冒号：文字中有冒号时，请给整段文字加引号", "整段文字加引号"),
            M(
                _SYNTAX + "字符 … 不能作为值的开头：请给整段文字加引号",
                "<code>@</code>、<code>`</code>、<code>%</code> 等开头的文字要加引号",
            ),
            M(_SYNTAX + "无法读取此处的写法：请对照上一期的文件，检查冒号后的空格、缩进和引号", "对照上一期的文件找出不同"),
            M(f"不能使用锚点“&…”：{_REFUSED}", "每一项都照原文完整写出"),
            M(f"不能使用别名“*…”：{_REFUSED}", "每一项都照原文完整写出"),
            M(f"不能使用合并键“<<”：{_REFUSED}", "每一项都照原文完整写出"),
            M("不能使用 YAML 标签“…”：值要直接写出，文字可加引号", "去掉 <code>!!float</code> 之类的标签"),
            M("字段名必须是简单文本", "字段名照数据说明写"),
            M("字段重复（第 … 行已经写过一次）", "同一处出现了两个同名字段，删掉多余的一个"),
            M("文字过长（… 字），一段文字最多 … 字", "核对是否把几段内容写进了一个字段"),
        ),
    ),
    Section(
        "字段和类型",
        (
            M("缺少必填字段", "这一项原文有、文件里漏写了：信息的行号是它所在的那一组字段"),
            M("增减至少应填写 percent（幅度）或 count（件数）", "受理量的同比、环比写出原文印出的幅度或件数"),
            M("count（件数）与 count_label（件数名称）应同时填写或同时不填", "比率带件数时，件数和它的名称一起照原文填写"),
            M(
                "第 … 行的 values 有 … 格，columns 有 … 列",
                "考核表每行 <code>values</code> 的格数与 <code>columns</code> 的列数一致",
            ),
            M(
                "与原文存档 … 写的 … 不符；请核对月份，确认原文写错时在 meta.period_source 写 forced 并说明",
                "月份与 <code>data/sources/</code> 中存档的原文不一致：多半是导入时 <code>--period</code> 写错了",
            ),
            M(
                "meta.period_source 为 forced，但原文存档 … 写的正是 …；请改为 title",
                "原文写的月份与数据一致，不需要 <code>forced</code>",
            ),
            M(
                "缺少必填字段：填写了 … 时，须同时填写 registered（登记交办）",
                "办结数和办结率都以登记交办数为基数：补上这条热线的 <code>registered</code>",
            ),
            M("尚未填写（“待填写”处请照原文填写）", "“待填写”还没有改成原文内容"),
            M("未知字段…；这里可用的字段有：…", "字段名拼错了，按提示改正；可用的字段会一并列出"),
            M("应为整数，实际为 …", "去掉千位分隔符和空格：<code>4524</code>，不是 <code>4,524</code>"),
            M("应为数字，实际为 …", "只写数字：比率 <code>17.5</code> 表示 17.5%"),
            M("应为文本，实际为 …", "对照相邻的同类项写法"),
            M("应为 true 或 false，实际为 …", "只能写 <code>true</code> 或 <code>false</code>"),
            M("应为列表（每项另起一行，以“- ”开头），实际为 …", "对照相邻的同类项写法"),
            M("应为一组字段，实际为 …", "对照相邻的同类项写法"),
            M("应为 … 之一，实际为 …", "只能从列出的取值中选"),
            M("应为日期（YYYY-MM-DD），实际为 …", "发布日期写成 <code>2023-09-05</code> 的形式"),
            M("不是日历上的日期，实际为 …", "核对月份和日期"),
            M("发布日期 … 早于通报所属月份 …，请核对年份和月份", "发布日期不早于通报所属的月份"),
            M("应为以 http:// 或 https:// 开头的网址，实际为 …", "原文网址写完整"),
            M("应为“年-月”格式，如 2023-08，实际为 …", "写成 <code>2023-08</code>，月份两位"),
            M("年份应在 … 至 … 之间，实际为 …", "年份多半是录入时多打或少打了位数"),
            M("不能为空", "照原文填写，或删掉这个可选字段"),
            M("至少应有 … 项", "照原文填写"),
            M("格式不符（应匹配 …），实际为 …", "热线号码只写数字，如 <code>'12345'</code>"),
            M("格式不正确，实际为 …", "对照相邻的同类项写法"),
            M("每条热线至少应填写 calls（接听人次）或 consultations（咨询人次）", "照原文补上接听人次或咨询人次"),
            M("calls 与 consultations 只填其一", "原文给的是接听人次还是咨询人次，只填那一项"),
            M("补充部分至少应有 text、plain 或 table", "补充部分要有正文或表格"),
            M("第 … 行有 … 格，表头有 … 列", "每一行的格数与表头一致"),
        ),
    ),
    Section(
        "名称",
        (
            M("名称中不能有空格（排版用的空格不属于名称），实际为 …，应写作 …", "去掉单位名称中的排版空格"),
            M(
                "名称会用作网页地址，不能含有字符 …；只能用文字、数字和常用标点 …，实际为 …",
                "如 <code>/</code> 改为“、”或全角括号",
            ),
            M("名称会用作网页地址，不能以“.”开头或结尾，也不能含有“..”，实际为 …", "照原文写出全称"),
            M("… 是网站保留的页面名，不能用作名称；请照原文写出全称", "<code>index</code>、<code>README</code> 不能作名称"),
            M("不能超过 … 个字，实际有 … 个字", "名称过长：核对是否把说明文字写进了名称"),
            M(
                "…名称 … 与 …对应同一个网页地址 …；同一…请统一写法，不同的请改用能区分的名称",
                "两个名称只差全角半角或大小写：同一单位（区县、类别）请统一写法",
            ),
            M(
                "单位 … 不在单位名录 data/units.yaml 中；…如是新单位或新写法，请在名录中登记",
                "在 <code>data/units.yaml</code> 中登记",
            ),
            M("“…”已在第 … 个单位中登记，同一写法只能指向一个单位", "单位名录中一个写法只能登记一次"),
        ),
    ),
    Section(
        "数字",
        (
            M("应不小于 …，实际为 …", "数字超出范围：核对录入"),
            M("应不大于 …，实际为 …", "数字超出范围，多半是录入时多打了位数"),
            M("最多 … 位小数，实际为 …", "照原文的小数位数"),
            M("数字位数过多（… 位），最多 … 位", "多半是录入时多打了位数"),
            M("零不能带负号，实际为 …", "写 <code>0</code>"),
            M("零不能带负号，应写作 0，实际为 …", "写 <code>0</code>"),
            M("数字只能用半角数字（0-9），实际为 …；如果这是文字，请加引号", "全角数字改为半角"),
            M("数字前不能加“+”，实际为 …；如果这是文字，请加引号", "去掉“+”"),
            M("数字只能用十进制写，实际为 …；如果这是文字，请加引号", "照原文写十进制数"),
            M("数字不能用科学计数法或 inf、nan 等写法，实际为 …；如果这是文字，请加引号", "照原文写出全部数字"),
            M("数字中不能用“_”分隔，实际为 …；如果这是文字，请加引号", "去掉“_”"),
            M("小数点前后都要有数字（如 0.5），实际为 …；如果这是文字，请加引号", "<code>.5</code> 写作 <code>0.5</code>"),
            M(
                "数字不能以 0 开头（如 007 应写作 7），实际为 …；如果这是文字，请加引号",
                "编号等文字加引号，如 <code>'007'</code>",
            ),
            M("表格中的数字绝对值不能超过 …，实际为 …", "核对录入"),
            M("表格中的数字最多 … 位小数，实际为 …", "照原文的小数位数"),
        ),
    ),
    Section(
        "补充部分的文字",
        (
            M("不能使用 HTML（标签、注释或“&…;”字符引用）…", "要原样显示 <code>&lt;b&gt;</code> 这类文字请用反引号括起来"),
            M("不支持插入图片（图片会从其他网站加载）", "补充部分中不能放图片"),
            M("正文中不能使用标题…；补充部分的标题请写在 heading 中", "标题写在 <code>heading</code> 中"),
            M("含有本站不支持的写法，生成了 …", "只用段落、粗体、斜体、列表、引用、代码、表格和提示框"),
            M("提示框的类型只能是 … 之一，实际为 …", "改用列出的类型"),
            M("提示框须在类型后写上中文标题，如 …（不写时会显示英文 …）", '如 <code>!!! note "说明"</code>'),
            M("链接的锚点只能由字母、数字、“-”和“_”组成，实际为 …", "改用本页的锚点，如 <code>#attachment-1</code>"),
            M("链接只能指向 http:// 或 https:// 网址，实际为 …", "链接只能是网址或本页的锚点"),
            M("链接指向本页的锚点 '#…'，但本页没有这个位置；本页可用的锚点有：…", "改用信息中列出的锚点之一"),
            M("不能使用属性列表（花括号写法）…；需要显示花括号时请在前面加反斜杠，如 \\{", "要显示花括号请写 <code>\\{</code>"),
        ),
    ),
    Section(
        "数字之间的核对",
        (
            M("与各项之和不符：… = …，此处为 …", "分项之和不等于合计：核对录入；原文如此则用 <code>acknowledged</code> 说明"),
            M("已办结 … 多于登记交办 …", "办结数大于交办数：核对录入"),
            M("… 件多于受理总数 …（intake.total）", "有效或无效诉求多于受理总数：核对录入"),
            M("… 件多于当月受理总数 …（intake.total）", "比率所带的件数多于受理总数：核对录入"),
            M("件数 … 多于当月受理总数 …（intake.total）", "按性质分的诉求或前几名中的一项多于受理总数：核对录入"),
            M("各类性质的件数之和 … 多于当月受理总数 …（intake.total）", "按性质分的各类件数之和多于受理总数：核对录入"),
            M("各渠道件数之和 … 多于当月受理总数 …（intake.total）", "各渠道的件数之和多于受理总数：核对录入"),
            M("各类性质的占比之和超过 100%：… = …%", "按性质分的占比录错了位置：照原文核对"),
            M("各渠道的占比之和超过 100%：… = …%", "各渠道的占比录错了位置：照原文核对"),
            M("与… …% 之和为 …%，超过 100%", "满意率与不满意率之和超过 100%：照原文核对"),
            M("已回复 … 多于受理交办 …", "回复数大于受理数：核对录入"),
            M("与件数不符：… / … = …%，此处为 …%", "比率与件数算出的不一致（按原文的小数位四舍五入比较）"),
            M("与件数不成比例：按 … 件占 …% 推算，诉求总数应…，而前面各类推算的总数…", "某类诉求的占比与件数对不上"),
            M("各类占比都为 0，而件数不为 0；请照原文填写占比", "占比漏填：照原文核对"),
            M("件数为 0，占比应为 0，此处为 …%", "照原文核对件数和占比"),
            M("各类占比之和超过 100%：… = …%", "占比录错了位置：照原文核对"),
            M("件数 … 多于当月受理各类来电来信总数 …（intake.total）", "核对件数和 <code>intake.total</code>"),
            M("各类件数之和 … 多于当月受理各类来电来信总数 …（intake.total）", "核对件数和 <code>intake.total</code>"),
            M("与得分不符：得分 … 应排第 … 名，此处为 …", "同分应同名次，后面的名次顺延"),
            M("此行之前似乎漏录了一行：…", "下面的名次都差 1：对照原文补上漏掉的一行"),
            M("此行似乎是多出来的一行：…", "去掉这一行，其余名次就都对了：对照原文核对"),
            M("与已回复数 … + 未回复数 … = … 不符，此处为 …", "每行的已回复数加未回复数应等于办件总数"),
            M("与各行…之和 … 不符，此处为 …", "合计行不等于上面各行之和"),
            M("单位 … 在本组第 … 行已经出现…，同一单位在一张表中只能有一行", "同一单位（或它的别名）出现了两次：核对录入"),
            M("单位 … 在本表第 … 行已经出现…，同一单位在一张表中只能有一行", "同一单位（或它的别名）出现了两次：核对录入"),
            M(
                "单位 … 已在第 … 个分组“…”中出现…，同一单位每月只能在一个分组中",
                "核对录入；原文如此则用 <code>acknowledged</code> 说明",
            ),
            M(
                "确认的不一致并不存在：检查 … 在 … 处已通过，请删除此项",
                "<code>acknowledged</code> 中说明的问题已经不存在，删除这一项",
            ),
            M(
                "此处有误，暂时无法检查：…（改正后再次校验时检查）",
                "核对要用到这里的数字：改正上一条信息所说的问题后，这些核对会在下次校验时进行",
            ),
        ),
    ),
    Section(
        "命令",
        (
            M("用法：…", "命令的写法，随下面的“用法错误”一起显示：照它改正命令；各项的说明用 <code>-h</code> 查看"),
            M("用法错误：缺少…（查看用法：… -h）", "命令少写了一项，如月份、文件名或 <code>--out</code>：照用法补上"),
            M("用法错误：无法识别的参数：…（查看用法：… -h）", "命令中多写了或写错了一项：去掉它，或照用法改正"),
            M(
                "用法错误：没有“…”这个命令；可用的命令有 …（查看用法：… -h）",
                "命令名写错了：改用列出的命令之一，如 <code>validate</code>",
            ),
            M("用法错误：… 不能是“…”，只能是 … 之一（查看用法：… -h）", "这一项只能从列出的取值中选"),
            M("用法错误：… 后面要写一个值（查看用法：… -h）", "如 <code>--period</code> 后面写 <code>2023-08</code>"),
            M("用法错误：… 后面不能写值（写了“…”）（查看用法：… -h）", "这一项只写名称，不带值，如 <code>--force</code>"),
            M("用法错误：… 可以指 …，请写完整（查看用法：… -h）", "选项名写得太短，能指几个选项：写出完整的名称"),
            M(
                "用法错误：… 及其上级文件夹都不是项目文件夹（含有 mkdocs.yml 和 data 文件夹的文件夹）："
                "请在项目文件夹或它的子文件夹中运行，或用 --root 指定项目文件夹",
                "在项目文件夹（或它的子文件夹，如 <code>data/notices/</code>）中打开终端再运行命令",
            ),
            M(
                "用法错误：月份应写作“年-月”，如 …，实际为 …",
                "月份写成 <code>2023-09</code> 的形式，月份两位：<code>make new PERIOD=2023-09</code>",
            ),
            M("用法错误：请写出月份，如 make new PERIOD=2023-09", "<code>make new</code> 后面要写 <code>PERIOD=年-月</code>"),
            M(
                "用法错误：请写出通报原文文件，如 make import FILE=通报.docx",
                "<code>make import</code> 后面要写 <code>FILE=</code> 和原文文件的位置",
            ),
            M("校验通过：… 期通报。", "数据没有问题，可以预览或提交"),
            M("已新建 …：请把其中的“待填写”照原文填写。", "新月份的文件已按最新一期的结构建好：照原文填写"),
            M("已生成草稿 …（…）。", "草稿已写好：下面列出识别了什么、缺什么；照原文逐项核对后运行 <code>make validate</code>"),
            M("已生成 … 个页面和 … 个下载文件，写入 …。", "<code>render</code> 已写好网站的 Markdown 页面"),
            M("已生成 … 个 Schema 文件。", "数据模型的 JSON Schema 已更新：一并提交"),
            M(
                "错误：data/notices/ 中还没有通报，无法作为模板；请用 import 命令从通报原文生成",
                "<code>new</code> 按最新一期的结构新建：第一期请用 <code>make import FILE=…</code>",
            ),
            M(
                "错误：… 已存在，未覆盖：要重新新建，请先删除这个文件或给它改名",
                "这个月的文件已经有了：直接编辑它；确要重来，先删掉或改名",
            ),
            M(
                "错误：… 已存在，未覆盖（确需覆盖时加 …）",
                "草稿不会覆盖已有的文件：确认要覆盖时加 <code>--force</code>（用 make 时加 <code>FORCE=1</code>）",
            ),
            M("错误：不能把页面写进数据文件夹 …", "<code>render --out</code> 要写数据文件夹以外的文件夹"),
            M("错误：输出位置 … 已存在且不是文件夹", "<code>render --out</code> 要写一个文件夹"),
            M("错误：拒绝覆盖：… 不是空文件夹，也不是本工具生成的文件夹", "换一个空文件夹，以免覆盖别的文件"),
            M("错误：… 不是最新，请运行 make schema", "数据模型改过了：运行 <code>make schema</code> 更新 Schema"),
            M("错误：程序内部出错（…），请把这条信息告诉网站维护人员", "不是数据的问题：把整条信息发给网站维护人员"),
        ),
    ),
    Section(
        "导入原文",
        (
            M(
                "错误：文本中找不到通报所属的年月，请用 … 指定，如 …",
                "原文没有写明月份：加上 <code>--period 2023-08</code>（用 make 时加 <code>PERIOD=2023-08</code>）",
            ),
            M(
                "错误：… 与原文写的 … 不符；确认无误时加 …",
                "给出的月份与原文标题的月份不同，多半是写错了月份：改正月份；"
                "确认原文印错时加 <code>--force</code>（用 make 时加 <code>FORCE=1</code>）",
            ),
            M(
                "错误：… 与原文写的 … 月份不符；确认无误时加 …",
                "给出的月份与原文标题的月份不同：改正月份，确认原文印错时加 <code>--force</code>（<code>FORCE=1</code>）",
            ),
            M("错误：无法读取 …（…）", "文件名或位置写错了，或文件打不开：核对 <code>FILE=</code> 后面的文件名"),
            M("错误：… 不是普通文件，不能导入", "要导入的是一个文件，不是文件夹或快捷方式"),
            M(
                "错误：… 有 … 字节，超过一期通报原文的上限 … 字节，没有导入",
                "文件太大，不像一期通报：确认选对了文件",
            ),
            M(
                "错误：… 解压后有 … 字节，超过一期通报原文的上限 … 字节，没有导入",
                "这个 .docx 文件太大，不像一期通报：确认选对了文件",
            ),
            M(
                "错误：… 有 … 个字符，超过一期通报原文的上限 … 个字符，没有导入",
                "文字太多，不像一期通报：确认选对了文件",
            ),
            M("错误：… 有 … 行，超过一期通报原文的上限 … 行，没有导入", "行数太多，不像一期通报：确认选对了文件"),
            M(
                "错误：… 是压缩文件（可能是 .docx），不是文本；若是 Word 文件，请把扩展名改为 .docx",
                "Word 文件的扩展名被改成了别的：改回 <code>.docx</code>",
            ),
            M(
                "错误：… 不是 UTF-8、GB18030 或带 BOM 的 UTF-16 编码的文本，请另存为 UTF-8 编码的 .txt 后再导入",
                "用记事本打开原文，另存为 UTF-8 编码",
            ),
            M("错误：… 不是有效的 .docx 文件（…）", "文件已损坏或不是 Word 文件：重新下载或另存一次"),
            M(
                "错误：… 的段落、文字块、表格单元格等远多于一期通报（上限约 … 个），没有导入",
                "文件内容太多，不像一期通报：确认选对了文件",
            ),
            M(
                "错误：原文中有 … 个数字没有进入草稿，请对照原文补上：",
                "草稿已生成，但下面列出的数字（行号、原文）没有写进草稿：照原文补进草稿，再运行 <code>make validate</code>",
            ),
        ),
    ),
    Section(
        "预览",
        (
            M("正在生成预览，请稍候……", "<code>make serve</code> 正在生成网站，稍等片刻"),
            M(
                "[…] 预览已更新：…（修改数据并保存后自动刷新；按 Ctrl+C 结束）",
                "在浏览器中打开这个网址；改好数据并保存后，页面会自动刷新",
            ),
            M(
                "[…] 数据校验未通过，浏览器中的页面改为列出全部问题，改正并保存后自动恢复：",
                "下面（和浏览器中）列出了数据的全部问题：逐条改正并保存，预览会自动恢复",
            ),
            M(
                "数据有误，预览暂停更新",
                "浏览器中显示的页面标题：表中列出了每条问题的位置、字段和改法；全部改好并保存后，自动变回网站页面",
            ),
            M("预览已结束。", "按了 Ctrl+C，预览服务已关闭：要再预览，重新运行 <code>make serve</code>"),
            M(
                "错误：端口 … 已被占用：预览可能已在另一个终端中运行（打开 http://…/ 看看），或换一个端口，如 make serve PORT=…",
                "预览多半已经开着：在浏览器中打开这个网址；或照信息换一个端口",
            ),
            M(
                "用法错误：预览地址应写作“地址：端口”，如 127.0.0.1:8000，实际为 …",
                "写成 <code>127.0.0.1:8000</code> 的形式",
            ),
            M(
                "用法错误：无法在 … 上预览（…），请用 127.0.0.1 和一个空闲的端口",
                "这个地址不能用于预览：改用 <code>127.0.0.1</code> 和另一个端口",
            ),
        ),
    ),
)
"""Every message, by kind, in the order of the guide's table."""

MESSAGES = tuple(message for section in SECTIONS for message in section.messages)

_WIDE = str.maketrans("，：；（）！？", ",:;()!?")


def _plain(text: str) -> str:
    # Messages move to full-width punctuation (the house style) one module at a time: a message
    # is the same message in either width.
    return text.translate(_WIDE)


_PATTERNS = [
    (re.compile(".*?".join(re.escape(_plain(part)) for part in message.template.split("…")), re.DOTALL), message)
    for message in MESSAGES
]


def find(text: str) -> Message | None:
    """The registered message ``text`` is an instance of, or None."""
    plain = _plain(text)
    return next((message for pattern, message in _PATTERNS if pattern.fullmatch(plain)), None)


def unregistered(printed: Iterable[str]) -> list[str]:
    """The printed lines (``file:line:col path: message`` or a summary) whose message is not in :data:`MESSAGES`."""
    # No file name or path holds ": ", so the message is what follows the first one; a line
    # without a place (a command's message) is a message as a whole, though it may quote one.
    return [line for line in printed if find(line.partition(": ")[2] or line) is None and find(line) is None]


def unregistered_output(text: str) -> list[str]:
    """The lines a command printed whose message is not in :data:`MESSAGES`.

    An indented line continues the message above it (argparse's wrapped usage, the figures an
    import report lists under its heading), so only the lines that start a message are held."""
    return unregistered(line for line in text.splitlines() if line.strip() and not line[0].isspace())


START = "<!-- messages: generated by generator/messages.py; edit there, then run python -m generator.messages -->"
END = "<!-- /messages -->"
GUIDE = Path(__file__).resolve().parent.parent / "content" / "guide.md"


def guide_table() -> str:
    """The guide's table of messages, between its markers."""
    rows = []
    for section in SECTIONS:
        rows += ["<tbody>", f'<tr><th scope="rowgroup" colspan="2">{html.escape(section.title)}</th></tr>']
        rows += [
            f'<tr><th scope="row">{html.escape(message.template, quote=False)}</th><td>{message.meaning}</td></tr>'
            for message in section.messages
        ]
        rows.append("</tbody>")
    return "\n".join(
        [
            START,
            '<div class="table-scroll" tabindex="0" role="region" aria-label="校验信息的含义">',
            '<table class="data-table">',
            "<caption>校验、命令、导入和预览信息的含义和改法（“…”处随情况而变，如文件名、行号、数据中的内容）</caption>",
            '<thead><tr><th scope="col">信息</th><th scope="col">含义和改法</th></tr></thead>',
            *rows,
            "</table>",
            "</div>",
            END,
        ]
    )


def with_table(guide: str) -> str:
    """``guide`` with its table of messages replaced by :func:`guide_table`."""
    start, end = guide.index(START), guide.index(END) + len(END)
    return guide[:start] + guide_table() + guide[end:]


if __name__ == "__main__":
    GUIDE.write_text(with_table(GUIDE.read_text(encoding="utf-8")), encoding="utf-8")
