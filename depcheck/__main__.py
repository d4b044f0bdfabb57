from depcheck.cli import main

main()
