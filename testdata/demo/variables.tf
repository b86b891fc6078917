variable "oauthclient_id" {
  type = string
}

variable "oauthclient_secret" {
  type      = string
  sensitive = true
}

variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "standard_codes" {
  description = "Wrap-up codes every service queue offers."
  type        = set(string)
  default     = ["Resolved", "Escalated", "Callback Requested", "No Answer"]
}

variable "acw_timeout_ms" {
  type    = number
  default = 120000
}
