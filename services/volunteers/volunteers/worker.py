from meent_shared.worker import main
from volunteers.main import build_runtime

if __name__ == "__main__":
    main(build_runtime)
