package dev.mediaflow.transform.molecule;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.mediaflow.transform.MediaRejectedException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.io.MDLV2000Reader;
import org.openscience.cdk.silent.SilentChemObjectBuilder;

class SmilesConverterTest {

  static String text(EncodedMedia molecule) {
    return new String(molecule.data(), StandardCharsets.UTF_8);
  }

  /** Reads the SD file back with CDK's MDL reader. */
  static IAtomContainer readBack(EncodedMedia molecule) throws Exception {
    try (MDLV2000Reader reader = new MDLV2000Reader(new StringReader(text(molecule)))) {
      return reader.read(SilentChemObjectBuilder.getInstance().newAtomContainer());
    }
  }

  static Map<String, Integer> elements(IAtomContainer mol) {
    Map<String, Integer> counts = new TreeMap<>();
    for (IAtom atom : mol.atoms()) {
      counts.merge(atom.getSymbol(), 1, Integer::sum);
    }
    return counts;
  }

  // ----------------------------------------------------------------------------- conversion

  @Test
  void shouldWriteEthanolAsAnSdfWithExplicitHydrogens() throws Exception {
    // Given
    String smiles = "CCO";

    // When
    EncodedMedia molecule = SmilesConverter.toMolFile(smiles);

    // Then: 3 heavy atoms + 6 hydrogens, 8 bonds, as RDKit's AddHs would give
    IAtomContainer mol = readBack(molecule);
    assertThat(elements(mol)).containsExactly(entry("C", 2), entry("H", 6), entry("O", 1));
    assertThat(mol.getBondCount()).isEqualTo(8);
    assertThat(molecule.extension()).isEqualTo("sdf");
    assertThat(molecule.contentType()).isEqualTo("chemical/x-mdl-sdfile");
    assertThat(molecule.metadata()).containsExactly(entry("format", "sdf"), entry("atoms", 9),
        entry("heavy_atoms", 3), entry("bonds", 8), entry("coordinates", "2d"));
    assertThat(molecule.warnings()).isEmpty();
  }

  @Test
  void shouldWriteAValidSdRecordWithTitleCountsLineAndTerminator() {
    // When
    String sdf = text(SmilesConverter.toMolFile("CCO"));

    // Then
    String[] lines = sdf.split("\n", -1);
    assertThat(lines[0]).isEqualTo("CCO");
    assertThat(lines[1]).as("program and zeroed timestamp").isEqualTo("  CDK     00000000002D");
    assertThat(lines[3]).startsWith("  9  8  0  0  0  0  0  0  0  0999 V2000");
    assertThat(sdf).contains("\nM  END\n").endsWith("$$$$\n");
  }

  @Test
  void shouldGiveTheSameBytesForTheSameSmiles() {
    // When
    byte[] first = SmilesConverter.toMolFile("CC(=O)Oc1ccccc1C(=O)O").data();
    byte[] second = SmilesConverter.toMolFile("CC(=O)Oc1ccccc1C(=O)O").data();

    // Then: replays must not change stored objects
    assertThat(second).isEqualTo(first);
  }

  @Test
  void shouldLayOutEveryAtomInTwoDimensions() throws Exception {
    // When
    IAtomContainer mol = readBack(SmilesConverter.toMolFile("c1ccccc1"));

    // Then
    assertThat(elements(mol)).containsExactly(entry("C", 6), entry("H", 6));
    for (IAtom atom : mol.atoms()) {
      assertThat(atom.getPoint2d()).as("2D point of %s", atom.getSymbol()).isNotNull();
    }
    java.util.Set<String> spots = new java.util.HashSet<>();
    for (IAtom atom : mol.atoms()) {
      spots.add(atom.getPoint2d().x + "," + atom.getPoint2d().y);
    }
    assertThat(spots).as("no two atoms on one spot").hasSize(12);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "CN1C=NC2=C1C(=O)N(C(=O)N2C)C|14|24",
      "[Na+].[Cl-]|2|2",
      "C[C@H](N)C(=O)O|6|13",
      "[NH4+]|1|5",
      "C[O-]|2|5",
      "OC(=O)C[N+](C)(C)C|8|20",
      "[13CH3]O|2|6"})
  void shouldConvertValidSmiles(String smiles, int heavy, int atoms) throws Exception {
    // When
    EncodedMedia molecule = SmilesConverter.toMolFile(smiles);

    // Then
    assertThat(molecule.metadata()).containsEntry("heavy_atoms", heavy).containsEntry("atoms", atoms);
    assertThat(readBack(molecule).getAtomCount()).isEqualTo(atoms);
  }

  @Test
  void shouldKeepChargesInTheMolfile() throws Exception {
    // When
    IAtomContainer mol = readBack(SmilesConverter.toMolFile("[Na+].[Cl-]"));

    // Then
    assertThat(mol.getAtom(0).getFormalCharge()).isEqualTo(1);
    assertThat(mol.getAtom(1).getFormalCharge()).isEqualTo(-1);
  }

  @Test
  void shouldIgnoreSurroundingWhitespace() {
    // When / Then
    assertThat(SmilesConverter.toMolFile("  CCO\n").data()).isEqualTo(SmilesConverter.toMolFile("CCO").data());
  }

  @Test
  void shouldLeaveTheTitleEmptyForSmilesLongerThanAMolfileLine() {
    // Given
    String smiles = "C".repeat(81);

    // When
    String sdf = text(SmilesConverter.toMolFile(smiles));

    // Then
    assertThat(sdf).startsWith("\n  CDK     0000000000");
  }

  // ----------------------------------------------------------------------------- errors

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "xyz|invalid SMILES 'xyz': ",
      "C1CC|invalid SMILES 'C1CC': ",
      "c1cccc1|invalid SMILES 'c1cccc1': ",
      "C(C|invalid SMILES 'C(C': ",
      "CC)|invalid SMILES 'CC)': "})
  void shouldRejectUnparsableSmiles(String smiles, String reasonStart) {
    // When / Then
    assertThatThrownBy(() -> SmilesConverter.toMolFile(smiles))
        .isInstanceOf(MoleculeRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessageStartingWith(reasonStart);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void shouldRejectEmptySmiles(String smiles) {
    // When / Then
    assertThatThrownBy(() -> SmilesConverter.toMolFile(smiles))
        .isInstanceOf(MoleculeRejectedException.class)
        .hasMessage("invalid SMILES: the string is empty");
  }

  @Test
  void shouldRejectNullSmiles() {
    // When / Then
    assertThatThrownBy(() -> SmilesConverter.toMolFile(null))
        .hasMessage("invalid SMILES: the string is empty");
  }

  /** Each of these is rejected by RDKit 2022.09's MolFromSmiles(sanitize=True) too. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "C(C)(C)(C)(C)C|invalid SMILES 'C(C)(C)(C)(C)C': atom 1 (C) has valence 5, more than 4",
      "[CH3-]C|invalid SMILES '[CH3-]C': atom 1 (C-) has valence 4, more than 3",
      "[NH4]|invalid SMILES '[NH4]': atom 1 (N) has valence 4, more than 3",
      "[N-](C)(C)C|invalid SMILES '[N-](C)(C)C': atom 1 (N-) has valence 3, more than 2",
      "C[N](=O)(=O)=O|invalid SMILES 'C[N](=O)(=O)=O': atom 2 (N) has valence 7, more than 3",
      "O=O=O|invalid SMILES 'O=O=O': atom 2 (O) has valence 4, more than 2",
      "[O+](C)(C)(C)C|invalid SMILES '[O+](C)(C)(C)C': atom 1 (O+) has valence 4, more than 3",
      "[O-](C)C|invalid SMILES '[O-](C)C': atom 1 (O-) has valence 2, more than 1"})
  void shouldRejectOverValentAtomsLikeRdkitSanitization(String smiles, String reason) {
    // When / Then
    assertThatThrownBy(() -> SmilesConverter.toMolFile(smiles))
        .isInstanceOf(MoleculeRejectedException.class)
        .hasMessage(reason);
  }

  /** Each of these is accepted by RDKit 2022.09's MolFromSmiles(sanitize=True). */
  @ParameterizedTest
  @ValueSource(strings = {"C[N](=O)=O", "CN(=O)=O", "[CH3+](C)", "[C+](C)(C)(C)C", "[N+](C)(C)(C)C", "C=[N+]=C",
      "[O+](C)(C)C", "[N-](C)C", "[CH2]", "S(=O)(=O)(C)C", "P(C)(C)(C)(C)C"})
  void shouldAcceptWhatRdkitSanitizationAccepts(String smiles) {
    // When
    EncodedMedia molecule = SmilesConverter.toMolFile(smiles);

    // Then
    assertThat(molecule.metadata()).containsEntry("format", "sdf");
  }

  @Test
  void shouldRejectMoleculesAboveTheHeavyAtomLimit() {
    // Given
    String smiles = "C".repeat(SmilesConverter.MAX_HEAVY_ATOMS + 1);

    // When / Then
    assertThatThrownBy(() -> SmilesConverter.toMolFile(smiles))
        .isInstanceOf(MoleculeRejectedException.class)
        .hasMessage("SMILES has 1001 heavy atoms, above the limit of 1000 for a layout in the stream");
  }
}
