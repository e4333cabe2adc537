from sanshi_cli.cli import main

main()
