<h1>${title}</h1>
<main>${results()}</main>
<%def name="results()"><p>${title} at ${request.path}</p></%def>
