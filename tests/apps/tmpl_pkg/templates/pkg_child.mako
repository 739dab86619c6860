<%inherit file="pkg_base.mako"/>
<p>${title}</p>
