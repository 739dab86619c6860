${site}|${user}|${title}
