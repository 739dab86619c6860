"""The films a new catalogue starts with: title, year, language, genres, director."""

from __future__ import annotations

FILMS: tuple[tuple[str, int, str, tuple[str, ...], str], ...] = (
    ("Seven Samurai", 1954, "Japanese", ("Action", "Drama"), "Akira Kurosawa"),
    ("Rashomon", 1950, "Japanese", ("Crime", "Drama"), "Akira Kurosawa"),
    ("Ikiru", 1952, "Japanese", ("Drama",), "Akira Kurosawa"),
    ("Tokyo Story", 1953, "Japanese", ("Drama",), "Yasujirō Ozu"),
    ("Ugetsu", 1953, "Japanese", ("Drama", "Fantasy"), "Kenji Mizoguchi"),
    ("Spirited Away", 2001, "Japanese", ("Animation", "Fantasy"), "Hayao Miyazaki"),
    ("Bicycle Thieves", 1948, "Italian", ("Drama",), "Vittorio De Sica"),
    ("La Dolce Vita", 1960, "Italian", ("Comedy", "Drama"), "Federico Fellini"),
    ("8½", 1963, "Italian", ("Drama",), "Federico Fellini"),
    ("The Seventh Seal", 1957, "Swedish", ("Drama", "Fantasy"), "Ingmar Bergman"),
    ("Wild Strawberries", 1957, "Swedish", ("Drama",), "Ingmar Bergman"),
    ("The 400 Blows", 1959, "French", ("Drama",), "François Truffaut"),
    ("Breathless", 1960, "French", ("Crime", "Drama"), "Jean-Luc Godard"),
    ("Le Samouraï", 1967, "French", ("Crime", "Thriller"), "Jean-Pierre Melville"),
    ("Pather Panchali", 1955, "Bengali", ("Drama",), "Satyajit Ray"),
    ("Metropolis", 1927, "German", ("Drama", "Science Fiction"), "Fritz Lang"),
    ("M", 1931, "German", ("Crime", "Thriller"), "Fritz Lang"),
    ("Andrei Rublev", 1966, "Russian", ("Drama", "History"), "Andrei Tarkovsky"),
    ("Stalker", 1979, "Russian", ("Drama", "Science Fiction"), "Andrei Tarkovsky"),
    ("Citizen Kane", 1941, "English", ("Drama", "Mystery"), "Orson Welles"),
    ("Casablanca", 1942, "English", ("Drama", "Romance"), "Michael Curtiz"),
    ("Vertigo", 1958, "English", ("Mystery", "Thriller"), "Alfred Hitchcock"),
    ("Singin' in the Rain", 1952, "English", ("Comedy", "Musical"), "Stanley Donen, Gene Kelly"),
    ("In the Mood for Love", 2000, "Cantonese", ("Drama", "Romance"), "Wong Kar-wai"),
    ("City of God", 2002, "Portuguese", ("Crime", "Drama"), "Fernando Meirelles"),
    ("Pan's Labyrinth", 2006, "Spanish", ("Drama", "Fantasy"), "Guillermo del Toro"),
)

# The demo account, shown on the login page itself.
DEMO_USER = ("demo", "demo")
