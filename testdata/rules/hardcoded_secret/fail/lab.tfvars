# Only read with `terraform apply -var-file=env/lab.tfvars`, but committed all the same.
client_secret = "J7mQ2-lab-Xr9vTt4KpZ0wE6sYh3LdNc"
