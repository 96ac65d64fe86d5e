import contextlib
import io
import unittest

import lakestep_runtime as rt


def parse(*argv: str) -> rt.Args:
    return rt.parse_args(list(argv))


BASE = ["--job", "s3://art/lakestep/jobs/a.json", "--result", "s3://art/lakestep/results/a.json",
        "--param", "ds=2026-11-26", "--param", "ts=2026-11-26T06:00:00Z", "--param", "run_id=r1"]


class ParseArgsTest(unittest.TestCase):
    def test_parses_job_result_and_repeated_params(self):
        args = parse(*BASE, "--param", "watermark=", "--param", "q=a=b")
        self.assertEqual(args.job, "s3://art/lakestep/jobs/a.json")
        self.assertEqual(args.result, "s3://art/lakestep/results/a.json")
        self.assertEqual(args.params, {"ds": "2026-11-26", "ts": "2026-11-26T06:00:00Z",
                                       "run_id": "r1", "watermark": "", "q": "a=b"})

    def assert_usage_error(self, *argv: str):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit) as caught:
            parse(*argv)
        self.assertEqual(caught.exception.code, 2)

    def test_refuses_missing_required_parameters(self):
        self.assert_usage_error(*BASE[:4], "--param", "ds=2026-11-26")

    def test_refuses_missing_job_or_result(self):
        self.assert_usage_error(*BASE[2:])
        self.assert_usage_error(*BASE[:2], *BASE[4:])

    def test_refuses_malformed_params(self):
        self.assert_usage_error(*BASE, "--param", "novalue")
        self.assert_usage_error(*BASE, "--param", "bad-name=1")

    def test_refuses_non_s3_uris_and_bad_ts(self):
        self.assert_usage_error("--job", "/tmp/a.json", *BASE[2:])
        self.assert_usage_error(*BASE[:6], "--param", "ts=yesterday", *BASE[8:])


if __name__ == "__main__":
    unittest.main()
