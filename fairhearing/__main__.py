from fairhearing.cli import main

main()
