<html><body>${self.body()}</body></html>
