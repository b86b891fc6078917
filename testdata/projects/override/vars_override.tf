variable "scope" {
  default = "conversation:write"
}
