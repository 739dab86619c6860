<p>from the package: ${title}</p>
