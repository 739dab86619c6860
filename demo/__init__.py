"""Example applications built with viewpick; start with :mod:`demo.films`."""
