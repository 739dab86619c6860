## The film list. The page shows the search form and results(); an XHR request gets only results().
<%inherit file="layout.mako"/>
<%block name="title">Films</%block>
<h1>Films</h1>
<form id="search" class="search" role="search" method="get" action="${request.route_path('films')}">
  <label for="q">Search by title, director, language or genre</label>
  <input id="q" name="q" type="search" value="${q}" autocomplete="off" placeholder="e.g. samurai, Fellini, Swedish">
  <button>Search</button>
</form>
<div id="results" aria-live="polite">${results()}</div>

<%def name="results()">
% if films:
<p class="count">${len(films)} ${'film' if len(films) == 1 else 'films'}\
% if q:
 matching “${q}”\
% endif
</p>
<table class="films">
  <thead><tr><th>Title</th><th>Year</th><th>Language</th><th>Genres</th><th>Director</th></tr></thead>
  <tbody>
% for film in films:
    <tr>
      <td><a href="${request.route_path('film', id=film.id)}">${film.title}</a></td>
      <td>${film.year}</td>
      <td>${film.language}</td>
      <td>${', '.join(film.genres)}</td>
      <td>${film.director}</td>
    </tr>
% endfor
  </tbody>
</table>
% else:
<p class="count">No film matches “${q}”.</p>
% endif
</%def>
