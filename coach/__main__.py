from coach import main

main()
