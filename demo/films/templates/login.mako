## The login form, with the demo account on the page itself.
<%inherit file="layout.mako"/>
<%block name="title">Log in</%block>
<h1>Log in</h1>
<p class="hint">Try the demo account: user <kbd>${demo_user[0]}</kbd>, password <kbd>${demo_user[1]}</kbd>.</p>
% if error:
<div class="errors" role="alert"><p>${error}</p></div>
% endif
<form id="login" class="login" method="post" action="${request.route_path('login')}">
  <input type="hidden" name="csrf_token" value="${get_csrf_token()}">
  <input type="hidden" name="next" value="${came_from}">
  <p><label for="name">User name</label> <input id="name" name="name" value="${name}" autocomplete="username" required></p>
  <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button>Log in</button></p>
</form>
