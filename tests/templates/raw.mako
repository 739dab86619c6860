<p>${value | n}</p>
