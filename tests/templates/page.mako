<h1>${title}</h1>
<%def name="part()"><p>${title} at ${request.path}</p></%def>
<main>${part()}</main>
