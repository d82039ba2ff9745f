from meent_shared.worker import main
from spaces.main import build_runtime

if __name__ == "__main__":
    main(build_runtime)
