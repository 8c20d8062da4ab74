// Material 9.8.2's partials/javascripts/content.html (last script), unchanged: served as a file so that the
// Content-Security-Policy allows no inline script ('unsafe-inline').
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
