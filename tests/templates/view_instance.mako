${view.title}|${view.__class__.__name__}
