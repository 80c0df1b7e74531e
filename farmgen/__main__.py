from farmgen.cli import main

main()
