# The module's input was renamed `prefix`, and its required `division_id` is not set:
# Terraform's "Unsupported argument" and "Missing required argument".
module "named_codes" {
  source      = "./named"
  name_prefix = "Sales"
}

# A local source whose directory does not exist (a rename, or a module never committed).
module "flows" {
  source = "./modules/flows"
}

# A module whose source is the directory it is in: `terraform init` never finishes (a module
# cycle), and each level of its instances would call the next.
module "itself" {
  source = "./"
}
