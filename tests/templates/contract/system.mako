${greeting}|${request.path}|${view.__name__}|${renderer_name}|${_context}
