## One film.
<%inherit file="layout.mako"/>
<%block name="title">${film.title}</%block>
<p class="back"><a href="${request.route_path('films')}">← All films</a></p>
<h1>${film.title} <span class="year">(${film.year})</span></h1>
<dl class="film">
  <dt>Director</dt><dd>${film.director}</dd>
  <dt>Language</dt><dd>${film.language}</dd>
  <dt>Genres</dt><dd>${', '.join(film.genres) or '—'}</dd>
  <dt>Version</dt><dd>${film.version}</dd>
</dl>
<% edit = request.route_path('film_edit', id=film.id) %>
% if request.permits('edit'):
<p><a class="button" href="${edit}">Edit</a></p>
% else:
<p><a href="${request.route_path('login', _query={'next': edit})}">Log in to edit this film</a></p>
% endif
