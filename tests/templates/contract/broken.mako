<p>first line</p>
<p>second line</p>
<p>${1 // zero}</p>
