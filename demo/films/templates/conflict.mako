## 409: the film changed while the user edited it. Both versions side by side; nothing was overwritten.
<%inherit file="layout.mako"/>
<%!
    FIELDS = [("title", "Title"), ("year", "Year"), ("language", "Language"), ("genres", "Genres"), ("director", "Director")]

    def shown(value):
        return ", ".join(value) if isinstance(value, (list, tuple)) else value
%>
<%block name="title">Edit conflict: ${stored.title}</%block>
<h1>Someone else saved this film first</h1>
<p>You edited version ${submitted['version']} of “${stored.title}”, but it is now at version ${stored.version}.
Nothing was saved. Compare the two and choose.</p>
<table class="conflict">
  <thead><tr><th></th><th>Stored now (version ${stored.version})</th><th>Yours</th></tr></thead>
  <tbody>
% for name, label in FIELDS:
    <tr class="${'differs' if submitted[name] != getattr(stored, name) else 'same'}">
      <th>${label}</th><td>${shown(getattr(stored, name))}</td><td>${shown(submitted[name])}</td>
    </tr>
% endfor
  </tbody>
</table>
<form id="save-mine" class="choices" method="post" action="${request.route_path('film', id=stored.id)}">
  <input type="hidden" name="csrf_token" value="${get_csrf_token()}">
  <input type="hidden" name="version" value="${stored.version}">
% for name, label in FIELDS:
  <input type="hidden" name="${name}" value="${shown(submitted[name])}">
% endfor
  <button>Save mine over version ${stored.version}</button>
  <a href="${request.route_path('film', id=stored.id)}">Keep the stored version</a>
</form>
