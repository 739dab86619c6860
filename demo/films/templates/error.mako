## Every error page: the status, what happened, and a way back, in the site's layout.
<%inherit file="layout.mako"/>
<%block name="title">${heading}</%block>
<h1>${heading}</h1>
<p class="error-detail">${detail}</p>
<p class="back"><a href="${request.route_path('films')}">← All films</a></p>
