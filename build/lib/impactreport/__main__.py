from impactreport.cli import app

app(prog_name="impactreport")
