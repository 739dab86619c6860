<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${article["title"]}</title></head>
<body>
<h1>${article["title"]}</h1>
<ul id="items">${items()}</ul>
</body>
</html>
<%def name="items()">
% for item in article["items"]:
  <li>${item["name"]} <span class="price">${item["price"]}</span></li>
% endfor
</%def>
