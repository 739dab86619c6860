## The edit form; after a failed save it shows what was sent and what is wrong with it.
<%inherit file="layout.mako"/>
<%block name="title">Edit ${film.title}</%block>
<p class="back"><a href="${request.route_path('film', id=film.id)}">← ${film.title}</a></p>
<h1>Edit “${film.title}”</h1>
% if errors:
<p class="errors" role="alert">Nothing was saved: please correct the fields marked below.</p>
% endif
<form id="edit" class="edit" method="post" action="${request.route_path('film', id=film.id)}">
  <input type="hidden" name="csrf_token" value="${get_csrf_token()}">
  <input type="hidden" name="version" value="${values.get('version', '')}">
  ${field('title', 'Title')}
  ${field('year', 'Year')}
  ${field('language', 'Language')}
  ${field('genres', 'Genres (comma-separated)')}
  ${field('director', 'Director')}
% if 'version' in errors:
  <p class="error">${errors['version']} Reload the film and edit it again.</p>
% endif
  <p><button>Save</button> <a href="${request.route_path('film', id=film.id)}">Cancel</a></p>
</form>

<%def name="field(name, label)">
  <p>
    <label for="${name}">${label}</label>
    <input id="${name}" name="${name}" value="${values.get(name, '')}" aria-invalid="${'true' if name in errors else 'false'}">
% if name in errors:
    <span class="error">${errors[name]}</span>
% endif
  </p>
</%def>
