package dev.mediaflow.transform.molecule;

import dev.mediaflow.transform.EncodedMedia;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.exception.InvalidSmilesException;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;
import org.openscience.cdk.io.SDFWriter;
import org.openscience.cdk.layout.StructureDiagramGenerator;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmilesParser;
import org.openscience.cdk.tools.manipulator.AtomContainerManipulator;

/**
 * Turns a SMILES string into a molecule file (media-semantics.md, "Molecule"; wandb
 * {@code Molecule.from_smiles}).
 *
 * <p>wandb: {@code rdkit.Chem.MolFromSmiles(smiles, sanitize=True)} ("Unable to parse the
 * SMILES string." when it returns None), then {@code AddHs}, {@code EmbedMolecule} (3D
 * coordinates) and {@code MMFFOptimizeMolecule(maxIters=200)}, written with
 * {@code MolToPDBBlock} as a {@code .pdb}.
 *
 * <p>Here, with the CDK (no RDKit on the JVM):
 * <ol>
 *   <li>Parse with CDK's {@link SmilesParser} (syntax, ring closures, and kekulization of
 *       aromatic input: {@code c1cccc1} is rejected like RDKit does).</li>
 *   <li>A valence check for C, N and O with formal charge -1..+1, the part of RDKit's
 *       sanitization that catches most typing mistakes, with RDKit's limits (bond orders plus
 *       hydrogens; see {@code checkValences}). RDKit checks every element; the CDK parser
 *       alone does not check valence at all, so e.g. a hypervalent S or halogen passes here.</li>
 *   <li>All hydrogens made explicit (RDKit's {@code AddHs}).</li>
 *   <li><b>2D coordinates</b> from CDK's {@link StructureDiagramGenerator} (z = 0). CDK's
 *       3D model builder was tried (cdk-builder3d 2.12): the first ring system costs about 11
 *       s of template loading, atoms without force-field parameters get a default 1.5 Å bond
 *       (caffeine), disconnected SMILES such as salts fail, and there is no MMFF
 *       optimization; a flat but correct depiction is the better trade. The viewer shows it
 *       as a flat molecule.</li>
 *   <li>Written as an MDL V2000 SD file ({@code .sdf}, one of wandb's supported types) with
 *       CDK's {@link SDFWriter}; the title line is the SMILES (when it fits the 80-column
 *       line) and the writer's timestamp in line 2 is zeroed so the same SMILES always gives
 *       the same bytes (replays must be idempotent).</li>
 * </ol>
 * Molecules above {@value #MAX_HEAVY_ATOMS} heavy atoms are rejected so that one item cannot
 * stall the stream in the layout step.
 *
 * <p>Metadata: {@code format} ("sdf"), {@code atoms} (with hydrogens), {@code heavy_atoms},
 * {@code bonds}, {@code coordinates} ("2d"). Thread-safe (a parser per call: CDK's are not).
 */
public final class SmilesConverter {

  /** Largest molecule (atoms other than hydrogen) laid out in the stream. */
  public static final int MAX_HEAVY_ATOMS = 1000;

  private static final int MOLFILE_LINE = 80;

  private SmilesConverter() {}

  /**
   * @param smiles a SMILES string (surrounding whitespace ignored)
   * @return an SD file with one record, all hydrogens explicit, 2D coordinates
   * @throws MoleculeRejectedException "invalid SMILES …" for empty, unparsable or over-valent
   *     input; also for a molecule above {@link #MAX_HEAVY_ATOMS} or one the layout fails on
   */
  public static EncodedMedia toMolFile(String smiles) {
    String text = smiles == null ? "" : smiles.strip();
    if (text.isEmpty()) {
      throw new MoleculeRejectedException("invalid SMILES: the string is empty");
    }
    IAtomContainer mol = parse(text);
    int heavy = mol.getAtomCount();
    if (heavy > MAX_HEAVY_ATOMS) {
      throw new MoleculeRejectedException("SMILES has " + heavy + " heavy atoms, above the limit of "
          + MAX_HEAVY_ATOMS + " for a layout in the stream");
    }
    checkValences(text, mol);
    AtomContainerManipulator.convertImplicitToExplicitHydrogens(mol);
    try {
      new StructureDiagramGenerator().generateCoordinates(mol);
    } catch (CDKException | RuntimeException e) {
      throw new MoleculeRejectedException("could not lay out SMILES '" + shorten(text) + "': "
          + e.getMessage(), e);
    }
    mol.setTitle(text.length() <= MOLFILE_LINE && text.indexOf('\n') < 0 ? text : "");
    String sdf = zeroTimestamp(write(mol));

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("format", "sdf");
    metadata.put("atoms", mol.getAtomCount());
    metadata.put("heavy_atoms", heavy);
    metadata.put("bonds", mol.getBondCount());
    metadata.put("coordinates", "2d");
    return new EncodedMedia(sdf.getBytes(StandardCharsets.UTF_8), "sdf", "chemical/x-mdl-sdfile",
        metadata, List.of());
  }

  private static IAtomContainer parse(String text) {
    IAtomContainer mol;
    try {
      mol = new SmilesParser(SilentChemObjectBuilder.getInstance()).parseSmiles(text);
    } catch (InvalidSmilesException e) {
      throw new MoleculeRejectedException("invalid SMILES '" + shorten(text) + "': "
          + firstLine(e.getMessage()), e);
    }
    if (mol.getAtomCount() == 0) {
      throw new MoleculeRejectedException("invalid SMILES '" + shorten(text) + "': no atoms");
    }
    return mol;
  }

  /**
   * RDKit's valence limits for C, N and O with charge -1..+1, as RDKit 2022.09 applies them
   * (checked with {@code make_media_fixtures.py --rdkit-smiles}): C 4, but 3 when negative
   * (RDKit lets a carbocation keep 4); N 3 + charge; O 2 + charge. A neutral N with two
   * double bonds to O and valence 5 is allowed: RDKit's cleanUp rewrites that nitro form to
   * {@code [N+](=O)[O-]} before it checks.
   */
  private static void checkValences(String text, IAtomContainer mol) {
    for (IAtom atom : mol.atoms()) {
      int charge = atom.getFormalCharge() == null ? 0 : atom.getFormalCharge();
      if (charge < -1 || charge > 1) {
        continue;
      }
      int allowed = switch (atom.getSymbol()) {
        case "C" -> charge < 0 ? 3 : 4;
        case "N" -> 3 + charge;
        case "O" -> 2 + charge;
        default -> Integer.MAX_VALUE;
      };
      if (allowed == Integer.MAX_VALUE) {
        continue;
      }
      int valence = atom.getImplicitHydrogenCount() == null ? 0 : atom.getImplicitHydrogenCount();
      int doubleBondsToOxygen = 0;
      for (IBond bond : mol.getConnectedBondsList(atom)) {
        IBond.Order order = bond.getOrder();
        valence += order == null || order == IBond.Order.UNSET ? 1 : order.numeric();
        if (order == IBond.Order.DOUBLE && bond.getOther(atom).getSymbol().equals("O")) {
          doubleBondsToOxygen++;
        }
      }
      boolean nitro = atom.getSymbol().equals("N") && charge == 0 && valence == 5 && doubleBondsToOxygen >= 2;
      if (valence > allowed && !nitro) {
        throw new MoleculeRejectedException("invalid SMILES '" + shorten(text) + "': atom "
            + (mol.indexOf(atom) + 1) + " (" + atom.getSymbol() + (charge == 0 ? "" : charge > 0 ? "+" : "-")
            + ") has valence " + valence + ", more than " + allowed);
      }
    }
  }

  private static String write(IAtomContainer mol) {
    StringWriter out = new StringWriter();
    try (SDFWriter writer = new SDFWriter(out)) {
      writer.write(mol);
    } catch (CDKException e) {
      throw new MoleculeRejectedException("could not write the molecule as SDF: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Molfile header line 2 is {@code IIPPPPPPPPMMDDYYHHmmddSS…}: user initials (2), program (8),
   * date and time (10), dimension code (2). The date columns become zeros.
   */
  static String zeroTimestamp(String sdf) {
    int first = sdf.indexOf('\n');
    int second = first < 0 ? -1 : sdf.indexOf('\n', first + 1);
    if (second < 0 || second - (first + 1) < 20) {
      return sdf;
    }
    int date = first + 1 + 10;
    return sdf.substring(0, date) + "0000000000" + sdf.substring(date + 10);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unparsable";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  private static String shorten(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "…";
  }
}
