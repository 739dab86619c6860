<%def name="results()"><li>${item}</li></%def>
<ul>${results()}</ul>
