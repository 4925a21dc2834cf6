from tools.scale_seed.main import main

main()
