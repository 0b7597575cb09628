package dev.mediaflow.transform.molecule;

import dev.mediaflow.transform.MediaRejectedException;

/** A molecule (file or SMILES) breaks one of the molecule rules. */
public class MoleculeRejectedException extends MediaRejectedException {
  private static final long serialVersionUID = 1L;

  public MoleculeRejectedException(String reason) {
    super(reason);
  }

  public MoleculeRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
