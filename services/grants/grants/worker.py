from grants.main import build_runtime
from meent_shared.worker import main

if __name__ == "__main__":
    main(build_runtime)
