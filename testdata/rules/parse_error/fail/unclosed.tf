# A block whose closing brace went missing: the blocks after it are read as inside it, and
# the file ends with the block still open.
variable "email" {}

variable "password" {
  sensitive = true

variable "region" {
  default = "eu"
}
