"""lakestep runtime entry point on EMR Serverless: the `lakestep` package (shipped
beside it as `lakestep.zip`, on the job's `--py-files`) does the work.

    lakestep_runtime.py --job s3://<bucket>/<key>.json --result s3://<bucket>/<key>.json
                        [--param name=value ...]
"""
import sys

from lakestep.main import main

if __name__ == "__main__":
    sys.exit(main())
