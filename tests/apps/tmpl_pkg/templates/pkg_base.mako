<section>${self.body()}</section>
