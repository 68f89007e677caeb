import sys

from synthetic_payroll import main

sys.exit(main())
