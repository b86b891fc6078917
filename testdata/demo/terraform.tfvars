aws_region     = "eu-west-1"
acw_timeout_ms = 90000
