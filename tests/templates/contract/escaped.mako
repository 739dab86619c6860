<p>${value}</p>
