# Files read at plan that are there: written out from the root, from `path.module`, and a
# missing one read where failing is expected (`try`, `fileexists`).
resource "genesyscloud_flow" "files" {
  filepath          = "files/inbound.yaml"
  file_content_hash = filesha256("${path.module}/files/inbound.yaml")
  substitutions = {
    note = try(file("files/notes.txt"), "none")
    seen = fileexists("files/notes.txt") ? "yes" : "no"
    md5  = filemd5("files/inbound.yaml")
  }
}

# A remote flow, hashed as the provider's examples do: not a local path to judge.
resource "genesyscloud_flow" "remote" {
  filepath          = "s3://my-bucket/flows/inbound.yaml"
  file_content_hash = filesha256("s3://my-bucket/flows/inbound.yaml")
}

# Read only where `fileexists` says it is there.
locals {
  optional_contract = fileexists("files/contract.json") ? file("files/contract.json") : "{}"
  other_contract    = !fileexists("${path.module}/files/other.json") ? "{}" : jsondecode(file("${path.module}/files/other.json"))
}

# A flow whose own file is missing is `flow-file-not-found`'s, once: its hash of the same path
# is not reported again.
resource "genesyscloud_flow" "missing_once" {
  filepath          = "${path.module}/files/missing.yaml"
  file_content_hash = filesha256("./files/missing.yaml")
}

variable "with_contract" {
  default = false
}

locals {
  # Terraform reads only the branch taken, and none while the condition is not known.
  contract = var.with_contract ? file("files/contract.json") : "{}"
  # A home directory is whoever runs Terraform's.
  token_file = file("~/.genesys/token.json")
}
