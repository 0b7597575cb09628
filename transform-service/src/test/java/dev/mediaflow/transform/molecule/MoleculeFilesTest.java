package dev.mediaflow.transform.molecule;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.mediaflow.transform.MediaRejectedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoleculeFilesTest {

  private static final byte[] PDB = "ATOM      1  N   ALA A   1      11.104   6.134  -6.504  1.00  0.00           N\nEND\n"
      .getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @CsvSource({
      "protein.pdb, pdb, chemical/x-pdb",
      "protein.pqr, pqr, text/plain",
      "protein.mmcif, mmcif, chemical/x-mmcif",
      "protein.mcif, mcif, chemical/x-mmcif",
      "protein.cif, cif, chemical/x-cif",
      "ligands.sdf, sdf, chemical/x-mdl-sdfile",
      "ligands.sd, sd, chemical/x-mdl-sdfile",
      "frame.gro, gro, text/plain",
      "ligand.mol2, mol2, chemical/x-mol2",
      "protein.mmtf, mmtf, application/octet-stream",
      "run.3/PROTEIN.PDB, pdb, chemical/x-pdb"})
  void shouldStoreEveryTypeWandbSupportsAsIs(String name, String type, String contentType) {
    // When
    EncodedMedia molecule = MoleculeFiles.inspect(name, PDB);

    // Then
    assertThat(molecule.data()).isSameAs(PDB);
    assertThat(molecule.extension()).isEqualTo(type);
    assertThat(molecule.contentType()).isEqualTo(contentType);
    assertThat(molecule.metadata()).containsExactly(entry("format", type), entry("bytes", PDB.length));
    assertThat(molecule.warnings()).isEmpty();
  }

  @Test
  void shouldListExactlyWandbsSupportedTypes() {
    // Then: Molecule.SUPPORTED_TYPES
    assertThat(MoleculeFiles.TYPES).containsExactlyInAnyOrder("pdb", "pqr", "mmcif", "mcif", "cif", "sdf", "sd",
        "gro", "mol2", "mmtf");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ligand.mol", "ligand.xyz", "protein.pdb.gz", "protein", "pdb", "dir.pdb/protein",
      "ligand.smi"})
  void shouldRejectOtherTypes(String name) {
    // When / Then
    assertThatThrownBy(() -> MoleculeFiles.inspect(name, PDB))
        .isInstanceOf(MoleculeRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessageStartingWith("unsupported molecule type '")
        .hasMessageEndingWith("(supported: pdb, pqr, mmcif, mcif, cif, sdf, sd, gro, mol2, mmtf)");
  }

  @Test
  void shouldNameTheRejectedEnding() {
    // When / Then
    assertThatThrownBy(() -> MoleculeFiles.inspect("a/b.xyz", PDB))
        .hasMessage("unsupported molecule type 'xyz' for 'a/b.xyz' (supported: pdb, pqr, mmcif, mcif, cif, sdf, "
            + "sd, gro, mol2, mmtf)");
  }

  @Test
  void shouldRejectAnEmptyFile() {
    // When / Then
    assertThatThrownBy(() -> MoleculeFiles.inspect("a.pdb", new byte[0]))
        .isInstanceOf(MoleculeRejectedException.class)
        .hasMessage("molecule file 'a.pdb' is empty");
  }
}
