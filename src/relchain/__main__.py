"""`python -m relchain` runs the command line."""

from relchain.cli import main

if __name__ == "__main__":
    main()
