import sys

from mcpmigrate.cli import main

sys.exit(main())
