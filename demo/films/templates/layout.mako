## The frame of every page: header with login state, then the page's own body.
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title><%block name="title"/> · Film catalogue</title>
  <link rel="stylesheet" href="${request.static_path('demo.films:static/app.css')}">
  <script src="${request.static_path('demo.films:static/app.js')}" defer></script>
</head>
<body>
  <header class="site">
    <a class="brand" href="${request.route_path('films')}">Film catalogue</a>
    <nav>
% if user:
      <form id="logout" method="post" action="${request.route_path('logout')}">
        Logged in as <strong>${user}</strong>
        <input type="hidden" name="csrf_token" value="${get_csrf_token()}">
        <button class="link">Log out</button>
      </form>
% elif request.matched_route is None or request.matched_route.name != 'login':
      <a href="${request.route_path('login', _query={'next': request.path_qs})}">Log in</a>
% endif
    </nav>
  </header>
  <main>
% for message in request.session.pop_flash():
    <p class="flash" role="status">${message}</p>
% endfor
${next.body()}
  </main>
</body>
</html>
