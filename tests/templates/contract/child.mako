<%inherit file="base.mako"/>
<p>${title}</p>
