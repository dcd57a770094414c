from rolebook.cli import main

raise SystemExit(main())
