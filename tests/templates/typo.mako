<p>Hello ${nmae}</p>
