# Every version this module runs with, pinned exactly: Terraform itself within 1.x from 1.11, and each
# provider to one release (no lock file is committed yet: `terraform init` writes one, commit it).
terraform {
  required_version = "~> 1.11"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "= 7.45.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "= 3.1.2"
    }
    kustomization = {
      source  = "kbst/kustomization"
      version = "= 0.9.8"
    }
  }

  # Remote state in a Cloud Storage bucket. GCS locks the state by itself (a lock object next to it
  # while a run holds it), so two applies never interleave. Bucket and prefix are not written here:
  # `terraform init -backend-config=backend.hcl` (see backend.hcl.example and the README).
  backend "gcs" {}
}
