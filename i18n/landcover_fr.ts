<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../algorithms/base.py" line="580"/>
        <source>Layer &apos;{0}&apos; is not a file-based raster ({1}); save it as GeoTIFF first.</source>
        <translation>La couche « {0} » n'est pas un raster sur fichier ({1}) ; enregistrez-la d'abord en GeoTIFF.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="587"/>
        <source>Layer &apos;{0}&apos;: the file {1} does not exist.</source>
        <translation>Couche « {0} » : le fichier {1} n'existe pas.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="103"/>
        <source>The training layer has no CRS, so its features cannot be placed on the raster. Set its CRS (Layer Properties ▸ Source) and run again.</source>
        <translation>La couche d'entraînement n'a pas de SCR : ses entités ne peuvent donc pas être placées sur le raster. Définissez son SCR (Propriétés de la couche ▸ Source) et relancez.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="263"/>
        <source>Cancelled by the user; no output was written.</source>
        <translation>Annulé par l'utilisateur ; aucune sortie n'a été écrite.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="103"/>
        <source>The training features do not overlap the raster (features span {0}, the raster {1}, both in the raster&apos;s CRS {2}). Check that the layer&apos;s CRS is set correctly and that you chose the right raster.</source>
        <translation>Les entités d'entraînement ne recouvrent pas le raster (emprise des entités {0}, du raster {1}, toutes deux dans le SCR du raster {2}). Vérifiez que le SCR de la couche est correctement défini et que vous avez choisi le bon raster.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="103"/>
        <source>The training layer has no field &apos;{0}&apos;; choose its class field among: {1}.</source>
        <translation>La couche d'entraînement n'a pas de champ « {0} » ; choisissez son champ de classe parmi : {1}.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="301"/>
        <source>The training layer has no field &apos;{0}&apos;; choose its class name field among: {1}.</source>
        <translation>La couche d'entraînement n'a pas de champ « {0} » ; choisissez son champ de nom de classe parmi : {1}.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="103"/>
        <source>No training feature has a class in field &apos;{0}&apos;. Fill in the class of each polygon (a name such as &apos;forest&apos; or an integer code), or choose another field.</source>
        <translation>Aucune entité d'entraînement n'a de classe dans le champ « {0} ». Renseignez la classe de chaque polygone (un nom comme « forêt » ou un code entier), ou choisissez un autre champ.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="495"/>
        <source>Code {0} has several names in the class name field ({1}); it is named &apos;{2}&apos;.</source>
        <translation>Le code {0} a plusieurs noms dans le champ de nom de classe ({1}) ; il est nommé « {2} ».</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="558"/>
        <source>The raster is in a geographic CRS ({0}), so the {1} is in degrees: {2:g} degrees is larger than the whole raster ({3:.4g} by {4:.4g} degrees). Give it in degrees (0.01 degree is about 1.1 km north-south), or reproject the raster to a projected CRS in metres.</source>
        <translation>Le raster est dans un SCR géographique ({0}) : la {1} est donc en degrés. {2:g} degrés dépasse l'étendue du raster entier ({3:.4g} sur {4:.4g} degrés). Indiquez-la en degrés (0,01 degré correspond à environ 1,1 km du nord au sud) ou reprojetez le raster dans un SCR projeté en mètres.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="103"/>
        <source>{0} feature could not be reprojected to the raster&apos;s CRS and was skipped.</source>
        <translation>{0} entité n'a pas pu être reprojetée dans le SCR du raster et a été ignorée.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="103"/>
        <source>{0} features could not be reprojected to the raster&apos;s CRS and were skipped.</source>
        <translation>{0} entités n'ont pas pu être reprojetées dans le SCR du raster et ont été ignorées.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="103"/>
        <source>{0} feature without a class or geometry was skipped.</source>
        <translation>{0} entité sans classe ou sans géométrie a été ignorée.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="103"/>
        <source>{0} features without a class or geometry were skipped.</source>
        <translation>{0} entités sans classe ou sans géométrie ont été ignorées.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="130"/>
        <source>The reference layer has no CRS, so its features cannot be placed on the map. Set its CRS (Layer Properties ▸ Source) and run again.</source>
        <translation>La couche de référence n'a pas de SCR : ses entités ne peuvent donc pas être placées sur la carte. Définissez son SCR (Propriétés de la couche ▸ Source) et relancez.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="130"/>
        <source>The reference layer has no field &apos;{0}&apos;; choose its class field.</source>
        <translation>La couche de référence n'a pas de champ « {0} » ; choisissez son champ de classe.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="130"/>
        <source>No reference feature has a class in field &apos;{0}&apos;; fill in the reference classes (names or codes of the map&apos;s classes) first.</source>
        <translation>Aucune entité de référence n'a de classe dans le champ « {0} » ; renseignez d'abord les classes de référence (noms ou codes des classes de la carte).</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="130"/>
        <source>None of the {3} reference features overlaps the map (features span {0}, the map {1}, both in the map&apos;s CRS {2}); check that the reference layer covers the map&apos;s area and that its CRS is set correctly.</source>
        <translation>Aucune des {3} entités de référence ne recouvre la carte (emprise des entités {0}, de la carte {1}, toutes deux dans le SCR de la carte {2}) ; vérifiez que la couche de référence couvre la zone de la carte et que son SCR est correctement défini.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="130"/>
        <source>{0} reference feature could not be reprojected to the map CRS and was skipped.</source>
        <translation>{0} entité de référence n'a pas pu être reprojetée dans le SCR de la carte et a été ignorée.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="130"/>
        <source>{0} reference features could not be reprojected to the map CRS and were skipped.</source>
        <translation>{0} entités de référence n'ont pas pu être reprojetées dans le SCR de la carte et ont été ignorées.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="458"/>
        <source>The reference class field &apos;{0}&apos; holds numbers, but they do not follow the map&apos;s class codes ({1}): field &apos;{2}&apos; names the classes and disagrees with them for {3} feature(s). Choose &apos;{2}&apos; as the reference class field.</source>
        <translation>Le champ de classe de référence « {0} » contient des nombres, mais ils ne correspondent pas aux codes de classes de la carte ({1}) : le champ « {2} » nomme les classes et les contredit pour {3} entité(s). Choisissez « {2} » comme champ de classe de référence.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="467"/>
        <source>The reference class field &apos;{0}&apos; holds numbers, matched to the map&apos;s class codes ({1}). Check that the reference layer uses these codes; if it has a field with the class names, choose that field instead.</source>
        <translation>Le champ de classe de référence « {0} » contient des nombres, mis en correspondance avec les codes de classes de la carte ({1}). Vérifiez que la couche de référence utilise bien ces codes ; si elle possède un champ avec les noms de classes, choisissez plutôt ce champ.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="192"/>
        <source>The additional training layer has no CRS; set its CRS (Layer Properties ▸ Source) and run again.</source>
        <translation>La couche d'entraînement supplémentaire n'a pas de SCR ; définissez son SCR (Propriétés de la couche ▸ Source) et relancez.</translation>
    </message>
    <message>
        <location filename="../algorithms/training_layer.py" line="199"/>
        <source>The additional training layer has no field &apos;{0}&apos;; choose its class field among: {1}.</source>
        <translation>La couche d'entraînement supplémentaire n'a pas de champ « {0} » ; choisissez son champ de classe parmi : {1}.</translation>
    </message>
</context>
<context>
    <name>AccuracyAssessment</name>
    <message>
        <location filename="../algorithms/accuracy.py" line="46"/>
        <source>Accuracy assessment</source>
        <translation>Évaluation de la précision</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="87"/>
        <source>Class raster</source>
        <translation>Raster de classes</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="88"/>
        <source>The land-cover map to assess (a one-band raster of class codes).</source>
        <translation>La carte d'occupation du sol à évaluer (un raster à une bande de codes de classes).</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="91"/>
        <source>Reference data</source>
        <translation>Données de référence</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="96"/>
        <source>Polygons or points with the true class, collected independently of the training data. Any CRS: it is reprojected to the raster&apos;s CRS.</source>
        <translation>Polygones ou points portant la classe réelle, collectés indépendamment des données d'entraînement. N'importe quel SCR : ils sont reprojetés dans le SCR du raster.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="104"/>
        <source>Reference class field</source>
        <translation>Champ de classe de référence</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="110"/>
        <source>Field holding each feature&apos;s true class: the map&apos;s class names (any case) or class codes. Empty values are skipped.</source>
        <translation>Champ contenant la classe réelle de chaque entité : les noms de classes de la carte (casse indifférente) ou les codes de classes. Les valeurs vides sont ignorées.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="118"/>
        <source>Count</source>
        <translation>Comptage</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="118"/>
        <source>Every pixel inside the reference polygons</source>
        <translation>Chaque pixel à l'intérieur des polygones de référence</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="118"/>
        <source>One vote per polygon (the majority of its pixels)</source>
        <translation>Un vote par polygone (la classe majoritaire de ses pixels)</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="127"/>
        <source>Every pixel: large polygons weigh more. One vote per polygon: each polygon counts once, with the class most of its pixels have on the map. Points are one pixel either way.</source>
        <translation>Chaque pixel : les grands polygones pèsent davantage. Un vote par polygone : chaque polygone compte une fois, avec la classe qu'ont la plupart de ses pixels sur la carte. Un point compte pour un pixel dans les deux cas.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="136"/>
        <source>Area-adjusted estimates (Olofsson et al. 2014)</source>
        <translation>Estimations ajustées par la surface (Olofsson et al. 2014)</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="136"/>
        <source>Automatic: when the reference is a stratified random sample</source>
        <translation>Automatique : lorsque la référence est un échantillon aléatoire stratifié</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="136"/>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="136"/>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="146"/>
        <source>Automatic uses them for points carrying a &apos;map_class&apos; field, as made by &apos;Stratified random validation points&apos;. Choose Yes for another stratified random sample with the map classes as strata.</source>
        <translation>En mode automatique, elles sont utilisées pour des points portant un champ « map_class », comme ceux créés par « Points de validation aléatoires stratifiés ». Choisissez Oui pour un autre échantillon aléatoire stratifié dont les strates sont les classes de la carte.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="278"/>
        <source>Confusion matrix</source>
        <translation>Matrice de confusion</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="155"/>
        <source>CSV table, rows = reference classes, columns = map classes; opens in QGIS as a table and in any spreadsheet.</source>
        <translation>Tableau CSV, lignes = classes de référence, colonnes = classes de la carte ; s'ouvre dans QGIS comme une table et dans n'importe quel tableur.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="278"/>
        <source>Accuracy metrics</source>
        <translation>Indicateurs de précision</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="164"/>
        <source>CSV table with one figure per row: class, code, measure, value and the 95% interval where there is one.</source>
        <translation>Tableau CSV avec un indicateur par ligne : classe, code, mesure, valeur et, le cas échéant, l'intervalle à 95 %.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="173"/>
        <source>Self-contained HTML report to read, send or attach to a publication.</source>
        <translation>Rapport HTML autonome, à lire, envoyer ou joindre à une publication.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="179"/>
        <source>Overall accuracy</source>
        <translation>Précision globale</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="182"/>
        <source>Kappa</source>
        <translation>Kappa</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="183"/>
        <source>Area-adjusted overall accuracy</source>
        <translation>Précision globale ajustée par la surface</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="197"/>
        <source>The reference layer has no features; draw or generate reference polygons or points first.</source>
        <translation>La couche de référence n'a aucune entité ; dessinez ou générez d'abord des polygones ou points de référence.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="235"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="235"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="236"/>
        <source> (automatic)</source>
        <translation> (automatique)</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="254"/>
        <source>Overall accuracy {0:.3f} (95% interval {1:.3f} to {2:.3f}), kappa {3:.3f}, {4} samples.</source>
        <translation>Précision globale {0:.3f} (intervalle à 95 % de {1:.3f} à {2:.3f}), kappa {3:.3f}, {4} échantillons.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="52"/>
        <source>Compares a class raster with independent reference data (polygons or points whose class is known, never the training data) and reports how accurate the map is.

Figures: overall accuracy, producer&apos;s and user&apos;s accuracy per class, each with a 95% confidence interval (pixels of one reference polygon are not independent, so the intervals treat each polygon as a cluster; points and polygon votes are independent samples), F1 per class, Cohen&apos;s kappa, and quantity and allocation disagreement (Pontius and Millones 2011). When the reference is a stratified random sample of the map (for example points made by &apos;Stratified random validation points&apos; and filled in), also the area-adjusted accuracies and error-adjusted class areas in hectares with 95% confidence intervals (Olofsson et al. 2014), using the mapped area of each class as its weight.

Inputs: the class raster (its class names and colours are read from it); the reference layer in any CRS (it is reprojected to the raster&apos;s CRS); the field holding the reference class, as class names (matched to the map&apos;s names, ignoring case) or codes. Numbers against a map whose classes have names are refused when a text field of the layer names the classes otherwise, and otherwise used with a warning listing the codes. A reference class the map does not have counts as omission errors, with a warning. Features with an empty class are skipped and counted; features outside the map or on nodata are counted and reported.

Outputs: the confusion matrix (CSV; rows are the reference, columns the map, labelled with class names; plus estimated area proportions when area-adjusted), the metrics table (CSV), and an HTML report with a coloured matrix, charts, the area table and a plain-language summary that opens in any browser without network access. Overall accuracy and kappa are also returned as numbers for models.

Example: generate 50 points per class with &apos;Stratified random validation points&apos;, fill in &apos;reference_class&apos; by photo-interpretation, then run this tool with the points as reference and &apos;reference_class&apos; as the class field.</source>
        <translation>Compare un raster de classes à des données de référence indépendantes (polygones ou points dont la classe est connue, jamais les données d'entraînement) et indique la précision de la carte.

Indicateurs : précision globale, précision du producteur et précision de l'utilisateur par classe, chacune avec un intervalle de confiance à 95 % (les pixels d'un même polygone de référence ne sont pas indépendants : les intervalles traitent donc chaque polygone comme une grappe ; les points et les votes par polygone sont des échantillons indépendants), F1 par classe, kappa de Cohen, ainsi que les désaccords de quantité et d'allocation (Pontius et Millones 2011). Lorsque la référence est un échantillon aléatoire stratifié de la carte (par exemple des points créés par « Points de validation aléatoires stratifiés » puis renseignés), également les précisions ajustées par la surface et les surfaces des classes corrigées des erreurs, en hectares, avec des intervalles de confiance à 95 % (Olofsson et al. 2014), la surface cartographiée de chaque classe servant de poids.

Entrées : le raster de classes (ses noms et couleurs de classes y sont lus) ; la couche de référence dans n'importe quel SCR (elle est reprojetée dans le SCR du raster) ; le champ contenant la classe de référence, sous forme de noms de classes (mis en correspondance avec les noms de la carte, sans tenir compte de la casse) ou de codes. Des codes numériques confrontés à une carte dont les classes ont des noms sont refusés lorsqu'un champ texte de la couche nomme les classes autrement ; sinon, ils sont utilisés avec un avertissement qui liste les codes. Une classe de référence absente de la carte compte comme erreurs d'omission, avec un avertissement. Les entités sans classe sont ignorées et comptées ; les entités situées hors de la carte ou sur des pixels nodata sont comptées et signalées.

Sorties : la matrice de confusion (CSV ; lignes = référence, colonnes = carte, étiquetées avec les noms de classes ; avec en plus les proportions de surface estimées en cas d'ajustement par la surface), la table des indicateurs (CSV) et un rapport HTML avec une matrice colorée, des graphiques, la table des surfaces et un résumé en langage courant, qui s'ouvre dans n'importe quel navigateur sans accès au réseau. La précision globale et le kappa sont aussi renvoyés sous forme de nombres pour les modèles.

Exemple : générez 50 points par classe avec « Points de validation aléatoires stratifiés », renseignez « reference_class » par photo-interprétation, puis lancez cet outil avec les points comme référence et « reference_class » comme champ de classe.</translation>
    </message>
    <message>
        <location filename="../algorithms/accuracy.py" line="173"/>
        <source>Accuracy report</source>
        <translation>Rapport de précision</translation>
    </message>
</context>
<context>
    <name>AlignRasters</name>
    <message>
        <location filename="../algorithms/alignrasters.py" line="69"/>
        <source>Align and stack rasters</source>
        <translation>Aligner et empiler des rasters</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="104"/>
        <source>Input rasters</source>
        <translation>Rasters en entrée</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="105"/>
        <source>Rasters to stack, single- or multiband, in the order their bands should take in the output.</source>
        <translation>Rasters à empiler, mono- ou multibandes, dans l'ordre que doivent prendre leurs bandes dans la sortie.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="113"/>
        <source>Reference raster (grid)</source>
        <translation>Raster de référence (grille)</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="116"/>
        <source>Raster whose CRS, pixel size and extent define the output grid. Empty: the first input.</source>
        <translation>Raster dont le SCR, la taille de pixel et l'emprise définissent la grille de sortie. Vide : la première entrée.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="124"/>
        <source>Target CRS</source>
        <translation>SCR cible</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="125"/>
        <source>CRS of the output instead of the reference&apos;s. Without a pixel size, the pixel size GDAL suggests for the reference in this CRS is used.</source>
        <translation>SCR de la sortie à la place de celui de la référence. Sans taille de pixel, c'est la taille de pixel que GDAL propose pour la référence dans ce SCR qui est utilisée.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="134"/>
        <source>Pixel size (target CRS units)</source>
        <translation>Taille de pixel (unités du SCR cible)</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="140"/>
        <source>Side of a square output pixel in units of the target CRS (metres for UTM, degrees for EPSG:4326). Empty: the reference&apos;s.</source>
        <translation>Côté d'un pixel carré de sortie, en unités du SCR cible (mètres pour l'UTM, degrés pour EPSG:4326). Vide : celle de la référence.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="149"/>
        <source>Output extent</source>
        <translation>Emprise de sortie</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="150"/>
        <source>Area to cover instead of the reference&apos;s extent; the grid starts at its top-left corner.</source>
        <translation>Zone à couvrir à la place de l'emprise de la référence ; la grille commence à son coin supérieur gauche.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="159"/>
        <source>Resampling</source>
        <translation>Rééchantillonnage</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="165"/>
        <source>How values are computed on the new grid. Nearest neighbour keeps the original values (required for class, mask and QA rasters). Bilinear or cubic suit reflectance bands brought to a finer grid; average suits reflectance brought to a coarser grid; mode suits class rasters brought to a coarser grid.</source>
        <translation>Manière de calculer les valeurs sur la nouvelle grille. Le plus proche voisin conserve les valeurs d'origine (indispensable pour les rasters de classes, de masque et de qualité). Bilinéaire ou cubique conviennent aux bandes de réflectance amenées sur une grille plus fine ; la moyenne convient à la réflectance amenée sur une grille plus grossière ; le mode convient aux rasters de classes amenés sur une grille plus grossière.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="176"/>
        <source>Aligned stack</source>
        <translation>Pile alignée</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="177"/>
        <source>One multiband GeoTIFF on the target grid, one band per input band.</source>
        <translation>Un GeoTIFF multibande sur la grille cible, une bande par bande d'entrée.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="180"/>
        <source>Number of bands</source>
        <translation>Nombre de bandes</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="217"/>
        <source>No input rasters: choose at least one raster to align.</source>
        <translation>Aucun raster en entrée : choisissez au moins un raster à aligner.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="193"/>
        <source>Cannot read {0} as a raster; check that the file exists and is a raster format GDAL can read.</source>
        <translation>Impossible de lire {0} comme raster ; vérifiez que le fichier existe et qu'il est dans un format raster lisible par GDAL.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="201"/>
        <source>The pixel size must be a positive number of target CRS units (got {0}); leave it empty to keep the reference&apos;s.</source>
        <translation>La taille de pixel doit être un nombre positif d'unités du SCR cible (reçu : {0}) ; laissez-la vide pour garder celle de la référence.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="212"/>
        <source>Input &apos;{0}&apos; is not a readable raster layer.</source>
        <translation>L'entrée « {0} » n'est pas une couche raster lisible.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="244"/>
        <source>The reference raster has no CRS, so the extent cannot be placed; assign a CRS to it or give a target CRS.</source>
        <translation>Le raster de référence n'a pas de SCR : l'emprise ne peut donc pas être placée ; attribuez-lui un SCR ou indiquez un SCR cible.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="257"/>
        <source>Target grid: {0} x {1} pixels of {2:g} x {3:g} in {4}</source>
        <translation>Grille cible : {0} x {1} pixels de {2:g} x {3:g} en {4}</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="283"/>
        <source>{0} covers only part of the target grid; the rest of its bands is nodata.</source>
        <translation>{0} ne couvre qu'une partie de la grille cible ; le reste de ses bandes est nodata.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="292"/>
        <source>Wrote {0} bands of type {1} (nodata {2}) to {3}</source>
        <translation>{0} bandes de type {1} (nodata {2}) écrites dans {3}</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="30"/>
        <source>Nearest neighbour</source>
        <translation>Plus proche voisin</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="30"/>
        <source>Bilinear</source>
        <translation>Bilinéaire</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="30"/>
        <source>Cubic</source>
        <translation>Cubique</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="30"/>
        <source>Average</source>
        <translation>Moyenne</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="30"/>
        <source>Mode (most frequent value)</source>
        <translation>Mode (valeur la plus fréquente)</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="75"/>
        <source>Reprojects and resamples several rasters onto one grid and writes them as one multiband raster, the stack that the later steps read. Inputs may have different CRSs, resolutions, extents, data types and band counts; each band of each input becomes a band of the output, in input order, described by its file name and band number (e.g. &apos;red.tif band 1&apos;). A band whose role is known is described by it first, e.g. &apos;nir (T32TQM_20230615T102021_B08_10m.jp2 band 1)&apos;: from the band&apos;s own description, or from common band file names (B02 to B12 and B8A of Sentinel-2; SR_B1 to SR_B7 of Landsat, numbered as Landsat 8/9 or 4-7 by the product id LC09_..., LT05_...; or names such as nir.tif). Bare names like B5.tif, which mean different bands on different sensors, get no role. Spectral indices and texture find their bands by these roles.

The grid (CRS, pixel size, extent) is the grid of the reference raster, by default the first input. A target CRS, a pixel size (in units of the target CRS) or an extent replaces that part of the reference grid.

The work is done window by window, so memory does not grow with the size of the rasters. Pixels outside an input, or nodata in it, get nodata in its bands; an input that does not overlap the grid at all stops the tool.

Output type: the widest input type (for example uint16 with int16 gives int32; any float input gives float32, or float64). Nodata: NaN for float output; for integer output the nodata value the inputs share (for example 0 for Sentinel-2 and Landsat products), else the largest value of the type (the smallest for signed types). Integer data never receives NaN.

Example: blue, green, red and NIR at 10 m in UTM zone 32 and SWIR1 and SWIR2 at 20 m in UTM zone 33, reference &apos;blue&apos;, resampling &apos;Bilinear&apos;: one 6-band raster at 10 m in zone 32.</source>
        <translation>Reprojette et rééchantillonne plusieurs rasters sur une même grille et les écrit dans un seul raster multibande : la pile que lisent les étapes suivantes. Les entrées peuvent avoir des SCR, des résolutions, des emprises, des types de données et des nombres de bandes différents ; chaque bande de chaque entrée devient une bande de la sortie, dans l'ordre des entrées, décrite par son nom de fichier et son numéro de bande (par ex. « red.tif band 1 »). Une bande dont le rôle est connu est décrite d'abord par ce rôle, par ex. « nir (T32TQM_20230615T102021_B08_10m.jp2 band 1) » : rôle tiré de la description propre de la bande, ou des noms de fichiers de bandes usuels (B02 à B12 et B8A de Sentinel-2 ; SR_B1 à SR_B7 de Landsat, numérotées comme Landsat 8/9 ou 4-7 selon l'identifiant de produit LC09_..., LT05_... ; ou des noms tels que nir.tif). Les noms nus comme B5.tif, qui désignent des bandes différentes selon les capteurs, ne reçoivent aucun rôle. Les indices spectraux et la texture trouvent leurs bandes grâce à ces rôles.

La grille (SCR, taille de pixel, emprise) est celle du raster de référence, par défaut la première entrée. Un SCR cible, une taille de pixel (en unités du SCR cible) ou une emprise remplace la partie correspondante de la grille de référence.

Le traitement se fait fenêtre par fenêtre : la mémoire utilisée ne croît donc pas avec la taille des rasters. Les pixels situés hors d'une entrée, ou nodata dans celle-ci, reçoivent nodata dans ses bandes ; une entrée qui ne recouvre pas du tout la grille arrête l'outil.

Type de sortie : le type d'entrée le plus large (par exemple uint16 avec int16 donne int32 ; toute entrée flottante donne float32, ou float64). Nodata : NaN pour une sortie flottante ; pour une sortie entière, la valeur nodata commune aux entrées (par exemple 0 pour les produits Sentinel-2 et Landsat), sinon la plus grande valeur du type (la plus petite pour les types signés). Les données entières ne reçoivent jamais NaN.

Exemple : bleu, vert, rouge et PIR à 10 m en UTM zone 32, SWIR1 et SWIR2 à 20 m en UTM zone 33, référence « blue », rééchantillonnage « Bilinéaire » : un seul raster de 6 bandes à 10 m en zone 32.</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="289"/>
        <source>Band roles from file names: {0}</source>
        <translation>Rôles des bandes d'après les noms de fichiers : {0}</translation>
    </message>
    <message>
        <location filename="../algorithms/alignrasters.py" line="273"/>
        <source>{0} has no nodata value: {1} pixels where all its bands are 0 were kept as data (often a zero-filled border). If 0 means no data, set 0 as its nodata value (Layer Properties ▸ Transparency ▸ Additional no data value, or gdal_edit -a_nodata 0) and align again, or mask the stack with 'Mask invalid and cloud pixels' and the invalid value 0.</source>
        <translation>{0} n'a pas de valeur nodata : {1} pixels dont toutes les bandes valent 0 ont été conservés comme données (souvent une bordure remplie de zéros). Si 0 signifie absence de données, définissez 0 comme sa valeur nodata (Propriétés de la couche ▸ Transparence ▸ Valeur nodata supplémentaire, ou gdal_edit -a_nodata 0) et relancez l'alignement, ou masquez la pile avec « Masquer les pixels invalides et nuageux » et la valeur invalide 0.</translation>
    </message>
</context>
<context>
    <name>ClassifyRaster</name>
    <message>
        <location filename="../algorithms/classify.py" line="33"/>
        <source>Classify raster</source>
        <translation>Classifier un raster</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="39"/>
        <source>Classifies every pixel of a feature raster with a model trained by &apos;Train classifier&apos; (or saved by &apos;Unsupervised classification (k-means)&apos;).

The raster is read, predicted and written one block at a time on every processor core, so rasters far larger than the memory of the computer can be classified; the memory used is set by the memory budget, not by the raster size. Pixels that are nodata in any band are nodata in every output.

Inputs: the feature raster, with the same bands in the same order as the raster the model was trained on (the tool checks the band count, and the band names where both are known); the model file (.lcmodel).

Outputs: the class raster (class codes, nodata 0, coloured and labelled with the class names); optionally the probability of every class (one band per class, named after it) and an uncertainty raster with three bands: &apos;max probability&apos; (probability of the chosen class), &apos;margin&apos; (difference between the two highest probabilities; small means the map hesitates between two classes) and &apos;entropy&apos; (0 when one class is certain, 1 when every class is equally likely).

Example: classify a Sentinel-2 feature stack with the model trained on digitised polygons, and keep the uncertainty raster to target field checks where &apos;max probability&apos; is low.</source>
        <translation>Classe chaque pixel d'un raster de variables avec un modèle entraîné par « Entraîner un classifieur » (ou enregistré par « Classification non supervisée (k-means) »).

Le raster est lu, prédit et écrit bloc par bloc sur tous les cœurs du processeur : on peut ainsi classer des rasters bien plus grands que la mémoire de l'ordinateur ; la mémoire utilisée est fixée par le budget mémoire, et non par la taille du raster. Les pixels nodata dans une bande quelconque sont nodata dans toutes les sorties.

Entrées : le raster de variables, avec les mêmes bandes dans le même ordre que le raster sur lequel le modèle a été entraîné (l'outil vérifie le nombre de bandes, et les noms des bandes lorsqu'ils sont connus des deux côtés) ; le fichier de modèle (.lcmodel).

Sorties : le raster de classes (codes de classes, nodata 0, coloré et étiqueté avec les noms des classes) ; en option la probabilité de chaque classe (une bande par classe, portant son nom) et un raster d'incertitude à trois bandes : « max probability » (probabilité de la classe retenue), « margin » (écart entre les deux plus fortes probabilités ; une faible valeur signifie que la carte hésite entre deux classes) et « entropy » (0 quand une classe est certaine, 1 quand toutes les classes sont également probables).

Exemple : classer une pile de variables Sentinel-2 avec le modèle entraîné sur des polygones numérisés, en gardant le raster d'incertitude pour cibler les vérifications de terrain là où « max probability » est faible.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="62"/>
        <source>Feature raster</source>
        <translation>Raster de variables</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="63"/>
        <source>Raster to classify, with the bands the model was trained on, in the same order.</source>
        <translation>Raster à classifier, avec les bandes sur lesquelles le modèle a été entraîné, dans le même ordre.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="70"/>
        <source>Model file</source>
        <translation>Fichier de modèle</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="76"/>
        <source>Model file (.lcmodel) written by &apos;Train classifier&apos; or by &apos;Unsupervised classification (k-means)&apos;.</source>
        <translation>Fichier de modèle (.lcmodel) écrit par « Entraîner un classifieur » ou par « Classification non supervisée (k-means) ».</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="84"/>
        <source>Classified</source>
        <translation>Carte classée</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="85"/>
        <source>Class raster: one class code per pixel (0 = nodata), with the colours and names of the model&apos;s classes.</source>
        <translation>Raster de classes : un code de classe par pixel (0 = nodata), avec les couleurs et les noms des classes du modèle.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="93"/>
        <source>Class probabilities</source>
        <translation>Probabilités des classes</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="99"/>
        <source>Optional: the probability (0 to 1) of every class, one band per class named after it. Needs one float band per class: large for many classes.</source>
        <translation>Facultatif : la probabilité (de 0 à 1) de chaque classe, une bande par classe portant son nom. Demande une bande flottante par classe : volumineux s'il y a beaucoup de classes.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="107"/>
        <source>Uncertainty</source>
        <translation>Incertitude</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="113"/>
        <source>Optional: three bands, &apos;max probability&apos;, &apos;margin&apos; (between the two most probable classes) and &apos;entropy&apos; (normalised to 0..1), showing where the map is unsure.</source>
        <translation>Facultatif : trois bandes, « max probability », « margin » (écart entre les deux classes les plus probables) et « entropy » (normalisée entre 0 et 1), qui montrent où la carte est incertaine.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="122"/>
        <source>Memory the blocks being classified may use at once. Lower it on a computer with little free memory; raising it rarely makes the tool faster.</source>
        <translation>Mémoire que les blocs en cours de classification peuvent occuper à la fois. Réduisez-la sur un ordinateur disposant de peu de mémoire libre ; l'augmenter accélère rarement l'outil.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="139"/>
        <source>The model file {0} does not exist; train a model with &apos;Train classifier&apos; first, or choose an existing .lcmodel file.</source>
        <translation>Le fichier de modèle {0} n'existe pas ; entraînez d'abord un modèle avec « Entraîner un classifieur », ou choisissez un fichier .lcmodel existant.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="161"/>
        <source>Model: {0}, {1} classes, bands: {2}</source>
        <translation>Modèle : {0}, {1} classes, bandes : {2}</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="214"/>
        <source>The input raster is in {0} but the model was trained on a raster in {1}. Classification goes ahead, but check that the bands mean the same thing (same sensor and preparation) as in the training raster.</source>
        <translation>Le raster en entrée est en {0} mais le modèle a été entraîné sur un raster en {1}. La classification se poursuit, mais vérifiez que les bandes ont la même signification (même capteur et même préparation) que dans le raster d'entraînement.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="237"/>
        <source>Every pixel of the input raster is nodata, so nothing was classified; check the raster&apos;s nodata value.</source>
        <translation>Tous les pixels du raster en entrée sont nodata : rien n'a donc été classé ; vérifiez la valeur nodata du raster.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="191"/>
        <source>Blocks computed on the Dask cluster at {0}.</source>
        <translation>Blocs calculés sur le cluster Dask à l'adresse {0}.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="223"/>
        <source>Classified {0} of {1} pixels in {2} on {3}, {4:.1f} s.</source>
        <translation>{0} pixels sur {1} classés en {2} sur {3}, {4:.1f} s.</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="223"/>
        <source>{0} block</source>
        <translation>{0} bloc</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="223"/>
        <source>{0} blocks</source>
        <translation>{0} blocs</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="223"/>
        <source>{0} thread</source>
        <translation>{0} thread</translation>
    </message>
    <message>
        <location filename="../algorithms/classify.py" line="223"/>
        <source>{0} threads</source>
        <translation>{0} threads</translation>
    </message>
</context>
<context>
    <name>CrfRegularise</name>
    <message>
        <location filename="../algorithms/crf.py" line="33"/>
        <source>Regularise with a CRF (probabilities)</source>
        <translation>Régulariser par CRF (probabilités)</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="39"/>
        <source>Cleans a classification using its class probabilities instead of its hard labels: a conditional random field weighs each pixel&apos;s probabilities against those of its neighbours (mean-field inference, Potts model). Unsure specks give way to their surroundings, while features the classifier is sure of stay, even when they are only 2 or 3 pixels wide (rivers, roads, hedges), which a majority filter erases. With a guide raster (the feature or image raster), neighbours across a sharp edge of the image do not pull on each other, so boundaries follow the image.

Inputs: the &apos;Class probabilities&apos; output of &apos;Classify raster&apos; (it carries the classes&apos; codes, names and colours); optionally the guide raster on the same grid. The spatial weight is the pull of the neighbours everywhere, the edge-aware weight the extra pull between neighbours that look alike in the guide; both add to log-probabilities, so a weight of 3 overturns a pixel that is up to about 20 times more sure of its class than of the neighbours&apos; class. The radius is the neighbourhood in pixels, the iterations the mean-field steps. The defaults suit 10-30 m imagery.

Outputs: the class raster, coded, coloured and labelled like the class map (nodata where the probabilities are nodata), and optionally the regularised probabilities. The raster is processed in overlapping blocks on every core: memory does not grow with the raster size and the result equals processing it all at once.

Example: probabilities of a Sentinel-2 classification, the feature stack as guide, default weights; then &apos;Remove small patches&apos;.</source>
        <translation>Nettoie une classification à l'aide de ses probabilités de classes plutôt que de ses étiquettes définitives : un champ aléatoire conditionnel (CRF) met en balance les probabilités de chaque pixel avec celles de ses voisins (inférence en champ moyen, modèle de Potts). Les petits amas incertains cèdent la place à leur voisinage, tandis que les éléments dont le classifieur est sûr sont conservés, même s'ils ne font que 2 ou 3 pixels de large (rivières, routes, haies), alors qu'un filtre majoritaire les efface. Avec un raster guide (le raster de variables ou l'image), les voisins situés de part et d'autre d'un contour net de l'image ne s'attirent pas : les limites suivent l'image.

Entrées : la sortie « Probabilités des classes » de « Classifier un raster » (elle porte les codes, noms et couleurs des classes) ; éventuellement le raster guide sur la même grille. Le poids spatial est l'attraction exercée partout par les voisins, le poids sensible aux contours l'attraction supplémentaire entre voisins qui se ressemblent dans le guide ; tous deux s'ajoutent aux log-probabilités, si bien qu'un poids de 3 fait basculer un pixel jusqu'à environ 20 fois plus sûr de sa classe que de celle de ses voisins. Le rayon est le voisinage en pixels, les itérations les étapes de champ moyen. Les valeurs par défaut conviennent à une imagerie de 10 à 30 m.

Sorties : le raster de classes, codé, coloré et étiqueté comme la carte de classes (nodata là où les probabilités sont nodata), et éventuellement les probabilités régularisées. Le raster est traité par blocs chevauchants sur tous les cœurs : la mémoire ne croît pas avec la taille du raster et le résultat est identique à celui d'un traitement en une seule fois.

Exemple : probabilités d'une classification Sentinel-2, pile de variables comme guide, poids par défaut ; puis « Supprimer les petits îlots ».</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="66"/>
        <source>Class probabilities</source>
        <translation>Probabilités des classes</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="69"/>
        <source>The &apos;Class probabilities&apos; output of &apos;Classify raster&apos;: one band per class, values 0 to 1.</source>
        <translation>La sortie « Probabilités des classes » de « Classifier un raster » : une bande par classe, valeurs de 0 à 1.</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="77"/>
        <source>Guide raster (edges)</source>
        <translation>Raster guide (contours)</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="80"/>
        <source>Optional: the image or feature raster the map was classified from, on the same grid. Neighbours across its edges do not smooth each other. Without it, the probabilities are the guide.</source>
        <translation>Facultatif : l'image ou le raster de variables à partir duquel la carte a été classée, sur la même grille. Les voisins situés de part et d'autre de ses contours ne se lissent pas mutuellement. Sans lui, les probabilités servent de guide.</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="89"/>
        <source>Spatial weight</source>
        <translation>Poids spatial</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="89"/>
        <source>Pull of the neighbours regardless of the image, 0 to 50. Higher: fewer specks, but also rounder corners and fewer thin features.</source>
        <translation>Attraction des voisins indépendamment de l'image, de 0 à 50. Plus élevé : moins de pixels isolés, mais aussi des angles plus arrondis et moins d'éléments fins.</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="89"/>
        <source>Edge-aware weight</source>
        <translation>Poids sensible aux contours</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="89"/>
        <source>Extra pull between neighbours that look alike in the guide, 0 to 50. Higher: cleaner regions that still stop at the image&apos;s edges.</source>
        <translation>Attraction supplémentaire entre voisins qui se ressemblent dans le guide, de 0 à 50. Plus élevé : des régions plus homogènes qui s'arrêtent toujours aux contours de l'image.</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="120"/>
        <source>Radius (pixels)</source>
        <translation>Rayon (pixels)</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="128"/>
        <source>Neighbours within this many pixels interact (Gaussian weights of half the radius). 2 suits 10-30 m imagery; the time grows with its square.</source>
        <translation>Les voisins distants d'au plus ce nombre de pixels interagissent (poids gaussiens d'une largeur égale à la moitié du rayon). 2 convient à une imagerie de 10 à 30 m ; le temps de calcul croît avec son carré.</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="136"/>
        <source>Iterations</source>
        <translation>Itérations</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="152"/>
        <source>Regularised map</source>
        <translation>Carte régularisée</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="153"/>
        <source>Class raster with the classes (codes, names, colours) of the probabilities.</source>
        <translation>Raster de classes portant les classes (codes, noms, couleurs) des probabilités.</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="158"/>
        <source>Regularised probabilities</source>
        <translation>Probabilités régularisées</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="164"/>
        <source>Optional: the probabilities after regularisation, one band per class.</source>
        <translation>Facultatif : les probabilités après régularisation, une bande par classe.</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="169"/>
        <source>Pixels whose class changed</source>
        <translation>Pixels ayant changé de classe</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="201"/>
        <source>{0} of {1} pixels ({2:.1f} %) changed class.</source>
        <translation>{0} pixels sur {1} ({2:.1f} %) ont changé de classe.</translation>
    </message>
    <message>
        <location filename="../algorithms/crf.py" line="144"/>
        <source>Mean-field steps; 5 are usually enough to settle. 0 regularises nothing: each pixel takes its most probable class, as in the classifier&apos;s map.</source>
        <translation>Pas du champ moyen ; 5 suffisent en général à stabiliser. 0 ne régularise rien : chaque pixel prend sa classe la plus probable, comme dans la carte du classifieur.</translation>
    </message>
</context>
<context>
    <name>ImportProduct</name>
    <message>
        <location filename="../algorithms/importproduct.py" line="26"/>
        <source>Bilinear</source>
        <translation>Bilinéaire</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="26"/>
        <source>Cubic</source>
        <translation>Cubique</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="26"/>
        <source>Nearest neighbour</source>
        <translation>Plus proche voisin</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="26"/>
        <source>Average</source>
        <translation>Moyenne</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 1: saturated or defective</source>
        <translation>SCL 1 : saturé ou défectueux</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 2: dark area (topographic shadow)</source>
        <translation>SCL 2 : zone sombre (ombre topographique)</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 3: cloud shadows</source>
        <translation>SCL 3 : ombres de nuages</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 6: water</source>
        <translation>SCL 6 : eau</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 7: unclassified</source>
        <translation>SCL 7 : non classé</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 8: cloud medium probability</source>
        <translation>SCL 8 : nuages, probabilité moyenne</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 9: cloud high probability</source>
        <translation>SCL 9 : nuages, probabilité élevée</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 10: thin cirrus</source>
        <translation>SCL 10 : cirrus fins</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>SCL 11: snow or ice</source>
        <translation>SCL 11 : neige ou glace</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>QA_PIXEL bit 1: dilated cloud</source>
        <translation>QA_PIXEL bit 1 : nuage dilaté</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>QA_PIXEL bit 2: cirrus</source>
        <translation>QA_PIXEL bit 2 : cirrus</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>QA_PIXEL bit 3: cloud</source>
        <translation>QA_PIXEL bit 3 : nuage</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>QA_PIXEL bit 4: cloud shadow</source>
        <translation>QA_PIXEL bit 4 : ombre de nuage</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>QA_PIXEL bit 5: snow</source>
        <translation>QA_PIXEL bit 5 : neige</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="33"/>
        <source>QA_PIXEL bit 7: water</source>
        <translation>QA_PIXEL bit 7 : eau</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="74"/>
        <source>Import Sentinel-2 / Landsat product</source>
        <translation>Importer un produit Sentinel-2 / Landsat</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="80"/>
        <source>Turns a downloaded satellite product into one float32 surface reflectance stack, masked and described band by band, in one step.

Input: a Sentinel-2 Level-2A product (the .SAFE folder, its .zip or its MTD_MSIL2A.xml) or a Landsat 4-9 Collection 2 Level-2 product (its folder, its .tar or its _MTL.xml, _MTL.txt or _MTL.json). Archives are read where they are, never unpacked.

Reflectance comes from the product&apos;s own metadata: Sentinel-2 (DN + BOA_ADD_OFFSET) / BOA_QUANTIFICATION_VALUE for each band (no offset before processing baseline 04.00); Landsat DN x REFLECTANCE_MULT_BAND_n + REFLECTANCE_ADD_BAND_n from the MTL file. DN 0 is fill.

Sentinel-2 bands coarser than the output resolution (the 20 m bands on the 10 m grid) are resampled with the chosen method, finer ones averaged; the scene classification (SCL, 20 m) by nearest neighbour. Landsat keeps its 30 m grid.

Mask: pixels of the chosen SCL classes (Sentinel-2) or QA_PIXEL bits (Landsat) become nodata (NaN) in every band, as do fill pixels (DN 0 in any band, SCL 0, QA_PIXEL bit 0). Defaults: SCL 3, 8, 9, 10 (cloud shadows, cloud medium and high probability, thin cirrus); QA_PIXEL bits 1, 2, 3, 4 (dilated cloud, cirrus, cloud, cloud shadow). Snow is not masked unless chosen.

Output: each band described by its role and band name, e.g. &apos;nir (B08)&apos;, &apos;swir1 (SR_B6)&apos;, and tagged with both; the raster is tagged with the sensor, date, tile (path and row for Landsat) and product name. Spectral indices and texture find their bands from these descriptions without band numbers.

Example: S2A_MSIL2A_..._T32TQM_....zip with the default bands (B02 B03 B04 B05 B06 B07 B08 B8A B11 B12) at 10 m: a 10-band reflectance stack of 10980 x 10980 pixels with clouds and shadows as nodata.</source>
        <translation>Transforme en une seule étape un produit satellite téléchargé en une pile de réflectance de surface float32, masquée et décrite bande par bande.

Entrée : un produit Sentinel-2 Level-2A (le dossier .SAFE, son .zip ou son MTD_MSIL2A.xml) ou un produit Landsat 4-9 Collection 2 Level-2 (son dossier, son .tar ou son _MTL.xml, _MTL.txt ou _MTL.json). Les archives sont lues sur place, jamais décompressées.

La réflectance est calculée à partir des métadonnées propres au produit : pour Sentinel-2, (DN + BOA_ADD_OFFSET) / BOA_QUANTIFICATION_VALUE pour chaque bande (pas de décalage avant la version de traitement (processing baseline) 04.00) ; pour Landsat, DN x REFLECTANCE_MULT_BAND_n + REFLECTANCE_ADD_BAND_n d'après le fichier MTL. La valeur DN 0 indique un pixel de remplissage.

Les bandes Sentinel-2 plus grossières que la résolution de sortie (les bandes à 20 m sur la grille à 10 m) sont rééchantillonnées selon la méthode choisie, les plus fines sont moyennées ; la classification de scène (SCL, 20 m) l'est au plus proche voisin. Landsat conserve sa grille à 30 m.

Masque : les pixels des classes SCL (Sentinel-2) ou des bits QA_PIXEL (Landsat) choisis deviennent nodata (NaN) dans toutes les bandes, de même que les pixels de remplissage (DN 0 dans une bande quelconque, SCL 0, QA_PIXEL bit 0). Par défaut : SCL 3, 8, 9, 10 (ombres de nuages, nuages de probabilité moyenne et élevée, cirrus fins) ; QA_PIXEL bits 1, 2, 3, 4 (nuage dilaté, cirrus, nuage, ombre de nuage). La neige n'est masquée que si elle est choisie.

Sortie : chaque bande est décrite par son rôle et son nom de bande, par ex. « nir (B08) », « swir1 (SR_B6) », et porte ces deux informations en métadonnées ; le raster porte en métadonnées le capteur, la date, la tuile (path/row pour Landsat) et le nom du produit. Les indices spectraux et la texture trouvent leurs bandes grâce à ces descriptions, sans numéros de bande.

Exemple : S2A_MSIL2A_..._T32TQM_....zip avec les bandes par défaut (B02 B03 B04 B05 B06 B07 B08 B8A B11 B12) à 10 m : une pile de réflectance de 10 bandes de 10980 x 10980 pixels, avec les nuages et les ombres en nodata.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="110"/>
        <source>Product (folder, archive or metadata file)</source>
        <translation>Produit (dossier, archive ou fichier de métadonnées)</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="110"/>
        <source>Satellite products (*.zip *.tar *.tar.gz *.xml *.txt *.json);;All files (*)</source>
        <translation>Produits satellite (*.zip *.tar *.tar.gz *.xml *.txt *.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="118"/>
        <source>The .SAFE folder, its .zip or its MTD_MSIL2A.xml (Sentinel-2 L2A); the Landsat Collection 2 Level-2 folder, its .tar or its MTL file. A folder path may be typed or pasted.</source>
        <translation>Le dossier .SAFE, son .zip ou son MTD_MSIL2A.xml (Sentinel-2 L2A) ; le dossier Landsat Collection 2 Level-2, son .tar ou son fichier MTL. Un chemin de dossier peut être saisi ou collé.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="127"/>
        <source>Bands</source>
        <translation>Bandes</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="128"/>
        <source>Band names in output order, separated by commas, e.g. &apos;B02, B03, B04, B08&apos; or &apos;SR_B2, SR_B3, SR_B4, SR_B5&apos;. Empty: Sentinel-2 B02 B03 B04 B05 B06 B07 B08 B8A B11 B12; Landsat 8/9 SR_B1 to SR_B7; Landsat 4-7 SR_B1 to SR_B5 and SR_B7.</source>
        <translation>Noms des bandes dans l'ordre de sortie, séparés par des virgules, par ex. « B02, B03, B04, B08 » ou « SR_B2, SR_B3, SR_B4, SR_B5 ». Vide : Sentinel-2 B02 B03 B04 B05 B06 B07 B08 B8A B11 B12 ; Landsat 8/9 SR_B1 à SR_B7 ; Landsat 4-7 SR_B1 à SR_B5 et SR_B7.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="138"/>
        <source>Resolution (Sentinel-2)</source>
        <translation>Résolution (Sentinel-2)</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="138"/>
        <source>{0} m</source>
        <translation>{0} m</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="144"/>
        <source>Pixel size of the output grid for Sentinel-2 products. Ignored for Landsat (always 30 m).</source>
        <translation>Taille de pixel de la grille de sortie pour les produits Sentinel-2. Ignorée pour Landsat (toujours 30 m).</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="152"/>
        <source>Resampling of coarser bands</source>
        <translation>Rééchantillonnage des bandes plus grossières</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="158"/>
        <source>How bands coarser than the output grid (20 m bands at 10 m) are resampled. Bilinear gives smooth values; nearest neighbour keeps the original values. The SCL is always resampled by nearest neighbour.</source>
        <translation>Méthode de rééchantillonnage des bandes plus grossières que la grille de sortie (bandes à 20 m sur une grille à 10 m). Bilinéaire donne des valeurs lissées ; Plus proche voisin conserve les valeurs d'origine. La SCL est toujours rééchantillonnée au plus proche voisin.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="168"/>
        <source>Mask (SCL classes, QA_PIXEL bits)</source>
        <translation>Masque (classes SCL, bits QA_PIXEL)</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="176"/>
        <source>Pixels to set to nodata: SCL classes apply to Sentinel-2, QA_PIXEL bits to Landsat. Default: SCL 3, 8, 9, 10 and QA_PIXEL bits 1, 2, 3, 4 (clouds, cirrus and cloud shadows). None chosen: only fill pixels are nodata.</source>
        <translation>Pixels à mettre à nodata : les classes SCL s'appliquent à Sentinel-2, les bits QA_PIXEL à Landsat. Par défaut : SCL 3, 8, 9, 10 et bits QA_PIXEL 1, 2, 3, 4 (nuages, cirrus et ombres de nuages). Si aucun n'est choisi, seuls les pixels de remplissage sont nodata.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="185"/>
        <source>Reflectance stack</source>
        <translation>Pile de réflectance</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="186"/>
        <source>Float32 GeoTIFF (nodata NaN), one band per chosen band, described by role.</source>
        <translation>GeoTIFF Float32 (nodata NaN), une bande par bande choisie, décrite par son rôle.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="191"/>
        <source>Number of bands</source>
        <translation>Nombre de bandes</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="192"/>
        <source>Sensor</source>
        <translation>Capteur</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="193"/>
        <source>Acquisition date</source>
        <translation>Date d'acquisition</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="203"/>
        <source>The product {0} does not exist; choose a .SAFE folder, a .zip or .tar, or a metadata file.</source>
        <translation>Le produit {0} n'existe pas ; choisissez un dossier .SAFE, un .zip ou .tar, ou un fichier de métadonnées.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="223"/>
        <source>The output must be a GeoTIFF (.tif); got {0}.</source>
        <translation>La sortie doit être un GeoTIFF (.tif) ; reçu : {0}.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="227"/>
        <source>Product {0}: {1}, {2}, tile {3}</source>
        <translation>Produit {0} : {1}, {2}, tuile {3}</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="233"/>
        <source>Landsat products keep their 30 m grid.</source>
        <translation>Les produits Landsat conservent leur grille à 30 m.</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="246"/>
        <source>Band {0}: reflectance = {1}</source>
        <translation>Bande {0} : réflectance = {1}</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="251"/>
        <source>Grid: {0} x {1} pixels of {2:g} m in {3}</source>
        <translation>Grille : {0} x {1} pixels de {2:g} m dans {3}</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="259"/>
        <source>SCL classes {0}</source>
        <translation>Classes SCL {0}</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="259"/>
        <source>QA_PIXEL bits {0}</source>
        <translation>Bits QA_PIXEL {0}</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="265"/>
        <source>Masked by {0}: {1:.1f} % of the pixels; fill: {2:.1f} %</source>
        <translation>Masqués par {0} : {1:.1f} % des pixels ; remplissage : {2:.1f} %</translation>
    </message>
    <message>
        <location filename="../algorithms/importproduct.py" line="271"/>
        <source>Every pixel is masked or fill; choose fewer mask classes or another scene.</source>
        <translation>Tous les pixels sont masqués ou de remplissage ; choisissez moins de classes de masque ou une autre scène.</translation>
    </message>
</context>
<context>
    <name>KMeansClassification</name>
    <message>
        <location filename="../algorithms/kmeans.py" line="32"/>
        <source>Unsupervised classification (k-means)</source>
        <translation>Classification non supervisée (k-means)</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="38"/>
        <source>Groups the pixels of a raster into a chosen number of clusters of similar values, without any training data. Useful to explore a scene, or to start a legend: name the clusters afterwards (several clusters may belong to one land-cover class).

The clusters are fitted with k-means on a random sample of valid pixels taken evenly over the whole raster (MiniBatch k-means for large samples); then every pixel is assigned to its nearest cluster, block by block on every processor core. Clusters are numbered from the darkest (lowest mean value) to the brightest. The same seed gives the same result.

Inputs: the raster (all bands are used) and the number of clusters. Outputs: a class raster with clusters &apos;cluster 1&apos; to &apos;cluster k&apos; in distinct colours (nodata 0), and optionally a model file (.lcmodel) with which &apos;Classify raster&apos; assigns the pixels of another scene to the same clusters.

Example: 10 clusters of a Sentinel-2 stack with standardisation on, to see which surfaces separate before digitising training polygons.</source>
        <translation>Regroupe les pixels d'un raster en un nombre choisi de groupes (clusters) de valeurs semblables, sans aucune donnée d'entraînement. Utile pour explorer une scène ou pour ébaucher une légende : nommez les groupes ensuite (plusieurs groupes peuvent appartenir à une même classe d'occupation du sol).

Les groupes sont ajustés par k-means sur un échantillon aléatoire de pixels valides répartis uniformément sur tout le raster (MiniBatch k-means pour les grands échantillons) ; chaque pixel est ensuite affecté au groupe le plus proche, bloc par bloc sur tous les cœurs du processeur. Les groupes sont numérotés du plus sombre (valeur moyenne la plus faible) au plus clair. La même graine donne le même résultat.

Entrées : le raster (toutes les bandes sont utilisées) et le nombre de groupes. Sorties : un raster de classes avec les groupes « cluster 1 » à « cluster k » en couleurs distinctes (nodata 0), et en option un fichier de modèle (.lcmodel) avec lequel « Classifier un raster » affecte les pixels d'une autre scène aux mêmes groupes.

Exemple : 10 groupes d'une pile Sentinel-2 avec la standardisation activée, pour voir quelles surfaces se distinguent avant de numériser des polygones d'entraînement.</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="57"/>
        <source>Input raster</source>
        <translation>Raster en entrée</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="58"/>
        <source>Raster whose pixels are clustered; every band is used.</source>
        <translation>Raster dont les pixels sont regroupés ; toutes les bandes sont utilisées.</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="61"/>
        <source>Number of clusters</source>
        <translation>Nombre de groupes</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="69"/>
        <source>How many clusters (classes) to make, 2 to 255.</source>
        <translation>Nombre de groupes (classes) à créer, de 2 à 255.</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="72"/>
        <source>Sample size (pixels)</source>
        <translation>Taille de l'échantillon (pixels)</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="79"/>
        <source>Number of valid pixels, drawn at random over the whole raster, on which the clusters are fitted. Larger samples fit rare surfaces better but take longer.</source>
        <translation>Nombre de pixels valides, tirés au hasard sur l'ensemble du raster, sur lesquels les groupes sont ajustés. Un échantillon plus grand représente mieux les surfaces rares mais prend plus de temps.</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="87"/>
        <source>Standardise bands</source>
        <translation>Standardiser les bandes</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="90"/>
        <source>Scale every band to zero mean and unit variance before clustering, so that bands with large values (e.g. reflectance x 10000) do not outweigh bands with small ones (e.g. indices from -1 to 1).</source>
        <translation>Ramène chaque bande à une moyenne nulle et une variance unité avant le regroupement, afin que les bandes à grandes valeurs (par exemple réflectance x 10000) ne l'emportent pas sur celles à petites valeurs (par exemple des indices entre -1 et 1).</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="99"/>
        <source>Seed of the sample and of k-means: the same seed gives the same clusters.</source>
        <translation>Graine de l'échantillon et de k-means : la même graine donne les mêmes groupes.</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="103"/>
        <source>Maximum iterations</source>
        <translation>Nombre maximal d'itérations</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="110"/>
        <source>Upper limit of k-means iterations (passes over the sample).</source>
        <translation>Nombre maximal d'itérations de k-means (passages sur l'échantillon).</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="114"/>
        <source>Memory the blocks being read and assigned may use at once. Lower it on a computer with little free memory.</source>
        <translation>Mémoire que les blocs en cours de lecture et d'affectation peuvent occuper à la fois. Réduisez-la sur un ordinateur disposant de peu de mémoire libre.</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="121"/>
        <source>Clusters</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="122"/>
        <source>Class raster of cluster numbers 1..k (0 = nodata).</source>
        <translation>Raster de classes des numéros de groupes 1..k (0 = nodata).</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="125"/>
        <source>Cluster model</source>
        <translation>Modèle des groupes</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="125"/>
        <source>Optional model file (.lcmodel) of the clusters, for &apos;Classify raster&apos; to assign another scene with the same bands to the same clusters.</source>
        <translation>Fichier de modèle (.lcmodel) facultatif des groupes, pour que « Classifier un raster » affecte une autre scène ayant les mêmes bandes aux mêmes groupes.</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="175"/>
        <source>  cluster {0}: {1} pixels, centre {2}</source>
        <translation>  groupe {0} : {1} pixels, centre {2}</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="161"/>
        <source>{0} fitted on {1} sampled pixels in {2}; {3} of {4} pixels assigned in {5:.1f} s.</source>
        <translation>{0} ajusté sur {1} pixels échantillonnés en {2} ; {3} pixels sur {4} affectés en {5:.1f} s.</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="161"/>
        <source>{0} iteration</source>
        <translation>{0} itération</translation>
    </message>
    <message>
        <location filename="../algorithms/kmeans.py" line="161"/>
        <source>{0} iterations</source>
        <translation>{0} itérations</translation>
    </message>
</context>
<context>
    <name>LandcoverAlgorithm</name>
    <message>
        <location filename="../algorithms/base.py" line="53"/>
        <source>1. Prepare imagery</source>
        <translation>1. Préparer les images</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="54"/>
        <source>2. Features</source>
        <translation>2. Variables</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="55"/>
        <source>3. Classification</source>
        <translation>3. Classification</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="56"/>
        <source>4. Accuracy assessment</source>
        <translation>4. Évaluation de la précision</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="57"/>
        <source>5. Post-processing</source>
        <translation>5. Post-traitement</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="341"/>
        <source>Cancelled by the user; no output was written.</source>
        <translation>Annulé par l'utilisateur ; aucune sortie n'a été écrite.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="352"/>
        <source>Out of memory. Lower the block size or memory budget of this tool, or close other programs, and run it again.</source>
        <translation>Mémoire insuffisante. Réduisez la taille des blocs ou le budget mémoire de cet outil, ou fermez d'autres programmes, puis relancez-le.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="521"/>
        <source>Parameter {0}: cannot open the raster layer; check the path.</source>
        <translation>Paramètre {0} : impossible d'ouvrir la couche raster ; vérifiez le chemin.</translation>
    </message>
    <message>
        <location filename="../core/learn/registry.py" line="72"/>
        <source>Random Forest</source>
        <translation>Forêt aléatoire (Random Forest)</translation>
    </message>
    <message>
        <location filename="../core/learn/registry.py" line="72"/>
        <source>Extra Trees</source>
        <translation>Arbres extrêmement aléatoires (Extra Trees)</translation>
    </message>
    <message>
        <location filename="../core/learn/registry.py" line="72"/>
        <source>Histogram Gradient Boosting</source>
        <translation>Gradient boosting sur histogrammes</translation>
    </message>
    <message>
        <location filename="../core/learn/registry.py" line="72"/>
        <source>Support Vector Machine (RBF kernel, standardised bands)</source>
        <translation>Machine à vecteurs de support (noyau RBF, bandes standardisées)</translation>
    </message>
    <message>
        <location filename="../core/learn/registry.py" line="72"/>
        <source>k-nearest neighbours</source>
        <translation>k plus proches voisins</translation>
    </message>
    <message>
        <location filename="../core/learn/registry.py" line="72"/>
        <source>Gaussian maximum likelihood</source>
        <translation>Maximum de vraisemblance gaussien</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="161"/>
        <source>{0}: {1} exists but is not a raster GDAL can read (damaged, or another kind of file); choose a raster file such as a GeoTIFF.</source>
        <translation>{0} : {1} existe mais n'est pas un raster lisible par GDAL (fichier endommagé ou d'un autre type) ; choisissez un fichier raster, par exemple un GeoTIFF.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="189"/>
        <source>Output {0} ({1}) is the same file as {2}; writing it would destroy that file. Choose another output file name.</source>
        <translation>La sortie {0} ({1}) est le même fichier que {2} ; l'écrire détruirait ce fichier. Choisissez un autre nom de fichier de sortie.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="197"/>
        <source>Output {0}: {1}</source>
        <translation>Sortie {0} : {1}</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="481"/>
        <source>Dask scheduler address, e.g. tcp://10.0.0.5:8786; empty = this computer</source>
        <translation>Adresse de l'ordonnanceur Dask, p. ex. tcp://10.0.0.5:8786 ; vide = cet ordinateur</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="487"/>
        <source>Compute the blocks on a Dask cluster instead of this computer&apos;s cores: the address of its scheduler (tcp://host:port). The cluster&apos;s workers read the input from the same path (shared storage, /vsicurl/ or /vsis3/), this computer writes the outputs, which are identical to a local run. Needs the Python package distributed here and numpy, scipy, scikit-learn, rasterio and distributed on the workers; the plugin sends its own code to them.</source>
        <translation>Calculer les blocs sur un cluster Dask plutôt que sur les cœurs de cet ordinateur : l'adresse de son ordonnanceur (tcp://host:port). Les workers du cluster lisent l'entrée au même chemin (stockage partagé, /vsicurl/ ou /vsis3/) ; cet ordinateur écrit les sorties, qui sont identiques à celles d'une exécution locale. Nécessite ici le paquet Python distributed, et numpy, scipy, scikit-learn, rasterio et distributed sur les workers ; l'extension leur envoie son propre code.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="510"/>
        <source>Dask scheduler {0}: {1}.</source>
        <translation>Ordonnanceur Dask {0} : {1}.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="368"/>
        <source>Class field</source>
        <translation>Champ de classe</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="377"/>
        <source>Class name field</source>
        <translation>Champ de nom de classe</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="384"/>
        <source>Optional: a field naming the integer codes of the class field (e.g. code 3 named &apos;forest&apos;). The names travel to the model, the maps and the polygons.</source>
        <translation>Facultatif : un champ qui nomme les codes entiers du champ de classe (p. ex. le code 3 nommé « forêt »). Les noms sont transmis au modèle, aux cartes et aux polygones.</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="400"/>
        <source>Classifier</source>
        <translation>Classifieur</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="415"/>
        <source>Random seed</source>
        <translation>Graine aléatoire</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="428"/>
        <source>Memory budget (MB)</source>
        <translation>Budget mémoire (Mo)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="462"/>
        <source>HTML files (*.html)</source>
        <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="441"/>
        <source>Land cover model (*.lcmodel)</source>
        <translation>Modèle d'occupation du sol (*.lcmodel)</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="473"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>LandcoverProvider</name>
    <message>
        <location filename="../provider.py" line="101"/>
        <source>Land cover classification</source>
        <translation>Classification de l'occupation du sol</translation>
    </message>
</context>
<context>
    <name>MajorityFilter</name>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="31"/>
        <source>Majority filter</source>
        <translation>Filtre majoritaire</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="54"/>
        <source>Class raster</source>
        <translation>Raster de classes</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="55"/>
        <source>One-band raster of class codes (0 = nodata), e.g. a classification.</source>
        <translation>Raster à une bande de codes de classes (0 = nodata), par exemple une classification.</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="60"/>
        <source>Window size (pixels, odd)</source>
        <translation>Taille de la fenêtre (pixels, impaire)</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="76"/>
        <source>Window shape</source>
        <translation>Forme de la fenêtre</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="76"/>
        <source>Square</source>
        <translation>Carré</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="76"/>
        <source>Circle</source>
        <translation>Cercle</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="91"/>
        <source>Iterations</source>
        <translation>Itérations</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="99"/>
        <source>How many times the filter is applied in a row.</source>
        <translation>Nombre d'applications successives du filtre.</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="104"/>
        <source>Filtered map</source>
        <translation>Carte filtrée</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="105"/>
        <source>The filtered class raster, with the input&apos;s classes.</source>
        <translation>Le raster de classes filtré, avec les classes de l'entrée.</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="116"/>
        <source>The window size must be odd (3, 5, 7, ...) so the window has a centre; {0} is even.</source>
        <translation>La taille de la fenêtre doit être impaire (3, 5, 7, ...) pour que la fenêtre ait un centre ; {0} est pair.</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="37"/>
        <source>Removes salt-and-pepper noise from a class raster: every pixel takes the class that is most frequent in the window around it (a true mode filter: no class is ever invented at a boundary). When classes tie, the pixel keeps its own class if it is among them, otherwise the smallest tied class code wins. Nodata pixels never vote and stay nodata. Class names and colours are kept.

The window is a square as wide as the window size, or a circle holding the pixels whose centre lies within half the window size (rounded down) of the centre (size 3: a cross of five pixels). Iterations repeat the filter on its own result. The raster is processed in blocks with enough overlap that the result is the same as filtering it all at once, and the time per pixel barely depends on the window size.

Example: a classified Sentinel-2 tile, window size 5, square, 1 iteration.</source>
        <translation>Supprime le bruit poivre et sel d'un raster de classes : chaque pixel prend la classe la plus fréquente dans la fenêtre qui l'entoure (un véritable filtre modal : aucune classe n'est jamais inventée à une limite). En cas d'égalité entre classes, le pixel garde sa propre classe si elle en fait partie ; sinon, le plus petit code de classe parmi les ex aequo l'emporte. Les pixels sans donnée ne votent jamais et restent sans donnée. Les noms et couleurs des classes sont conservés.

La fenêtre est un carré dont le côté est égal à la taille de fenêtre, ou un cercle contenant les pixels dont le centre se trouve, par rapport au centre, à une distance au plus égale à la moitié de la taille de fenêtre (arrondie à l'entier inférieur) (taille 3 : une croix de cinq pixels). Les itérations répètent le filtre sur son propre résultat. Le raster est traité par blocs, avec un recouvrement suffisant pour que le résultat soit identique à un filtrage en une seule fois, et le temps par pixel dépend à peine de la taille de fenêtre.

Exemple : une tuile Sentinel-2 classée, taille de fenêtre 5, carré, 1 itération.</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="82"/>
        <source>Square: every pixel of the window votes. Circle: only pixels within half the window size (rounded down) of the centre vote, which keeps corners rounder.</source>
        <translation>Carré : chaque pixel de la fenêtre vote. Cercle : seuls votent les pixels situés à une distance du centre au plus égale à la moitié de la taille de fenêtre (arrondie à l'entier inférieur), ce qui donne des coins plus arrondis.</translation>
    </message>
    <message>
        <location filename="../algorithms/majorityfilter.py" line="68"/>
        <source>Width of the window in pixels: an odd number, 3 or more; 1 leaves the map as it is.</source>
        <translation>Largeur de la fenêtre en pixels : un nombre impair, 3 ou plus ; 1 laisse la carte telle quelle.</translation>
    </message>
</context>
<context>
    <name>MaskRaster</name>
    <message>
        <location filename="../algorithms/maskraster.py" line="36"/>
        <source>Mask invalid and cloud pixels</source>
        <translation>Masquer les pixels invalides et nuageux</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="42"/>
        <source>Sets nodata on every pixel that should not be classified: pixels with an invalid value, pixels outside the valid range, and pixels a cloud mask or quality band flags as cloud or shadow. A masked pixel becomes nodata in every band, and so does a pixel that is already nodata in any band.

The mask raster (a cloud mask, a Sentinel-2 SCL band, a Landsat QA_PIXEL band) flags a pixel by value (for example SCL 3 cloud shadow, 8 and 9 cloud, 10 cirrus) or by bit (for example QA_PIXEL bit 3 cloud and bit 4 cloud shadow). When its grid differs from the input&apos;s, it is resampled onto the input grid with nearest neighbour; where it has no data, nothing is masked by it.

Nodata of the output: float input keeps its type and gets NaN. Integer input keeps its type and gets a nodata value outside the valid data: its own nodata value if it has one, else the first invalid value, else a limit of the type outside the valid range or beyond every value present (for example 65535 for uint16 reflectance). Only an integer raster that uses every value of its type is promoted to float32 with NaN. Integer data never receives NaN.

The share of masked pixels is written to the log and returned as an output.

Example: a Sentinel-2 stack with invalid values &apos;0&apos;, mask layer the SCL band, mask values &apos;3, 8, 9, 10&apos;: zeros, clouds, cirrus and shadows become nodata.</source>
        <translation>Met à nodata chaque pixel qui ne doit pas être classé : les pixels de valeur invalide, les pixels hors de la plage valide, et les pixels qu'un masque de nuages ou une bande de qualité signale comme nuage ou ombre. Un pixel masqué devient nodata dans toutes les bandes, de même qu'un pixel déjà nodata dans une bande quelconque.

Le raster de masque (un masque de nuages, une bande SCL de Sentinel-2, une bande QA_PIXEL de Landsat) signale un pixel par sa valeur (par exemple SCL 3 ombre de nuage, 8 et 9 nuage, 10 cirrus) ou par bit (par exemple QA_PIXEL bit 3 nuage et bit 4 ombre de nuage). Lorsque sa grille diffère de celle de l'entrée, il est rééchantillonné sur la grille de l'entrée au plus proche voisin ; là où il n'a pas de données, il ne masque rien.

Nodata de la sortie : une entrée flottante garde son type et reçoit NaN. Une entrée entière garde son type et reçoit une valeur nodata hors des données valides : sa propre valeur nodata si elle en a une, sinon la première valeur invalide, sinon une borne du type hors de la plage valide ou au-delà de toutes les valeurs présentes (par exemple 65535 pour une réflectance en uint16). Seul un raster entier qui utilise toutes les valeurs de son type est converti en float32 avec NaN. Les données entières ne reçoivent jamais NaN.

La part de pixels masqués est écrite dans le journal et renvoyée comme sortie.

Exemple : une pile Sentinel-2 avec les valeurs invalides « 0 », la bande SCL comme couche de masque et les valeurs de masque « 3, 8, 9, 10 » : les zéros, les nuages, les cirrus et les ombres deviennent nodata.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="64"/>
        <source>Input raster</source>
        <translation>Raster en entrée</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="65"/>
        <source>Raster to mask, single- or multiband.</source>
        <translation>Raster à masquer, mono- ou multibande.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="68"/>
        <source>Invalid values</source>
        <translation>Valeurs invalides</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="71"/>
        <source>Values meaning &apos;no data&apos; in any band, separated by commas, e.g. &apos;0&apos; or &apos;0, 65535&apos;; &apos;a-b&apos; gives every integer from a to b.</source>
        <translation>Valeurs signifiant « pas de données » dans une bande quelconque, séparées par des virgules, par exemple « 0 » ou « 0, 65535 » ; « a-b » donne tous les entiers de a à b.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="79"/>
        <source>Valid range (minimum, maximum)</source>
        <translation>Plage valide (minimum, maximum)</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="85"/>
        <source>Inclusive range of valid values; a pixel with a value outside it in any band is masked. Empty: no range check.</source>
        <translation>Plage inclusive des valeurs valides ; un pixel dont la valeur est hors de cette plage dans une bande quelconque est masqué. Vide : pas de contrôle de plage.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="93"/>
        <source>Mask raster (cloud mask, SCL or QA band)</source>
        <translation>Raster de masque (masque de nuages, SCL ou bande QA)</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="96"/>
        <source>Raster whose first band flags pixels to mask, by the values or bits below. Resampled (nearest) onto the input grid when needed.</source>
        <translation>Raster dont la première bande signale les pixels à masquer, par les valeurs ou les bits ci-dessous. Rééchantillonné (plus proche voisin) sur la grille de l'entrée si nécessaire.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="104"/>
        <source>Mask values</source>
        <translation>Valeurs de masque</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="107"/>
        <source>Values of the mask raster that mean &apos;mask this pixel&apos;, e.g. &apos;3, 8, 9, 10&apos; for Sentinel-2 SCL shadow, cloud and cirrus, or &apos;1&apos; for a 0/1 cloud mask.</source>
        <translation>Valeurs du raster de masque qui signifient « masquer ce pixel », par exemple « 3, 8, 9, 10 » pour l'ombre, les nuages et les cirrus de la SCL de Sentinel-2, ou « 1 » pour un masque de nuages 0/1.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="115"/>
        <source>Mask QA bits</source>
        <translation>Bits QA de masque</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="118"/>
        <source>Bit positions (0 = lowest bit) of the mask raster that mean &apos;mask this pixel&apos; when set, e.g. &apos;3, 4&apos; for Landsat Collection 2 QA_PIXEL cloud and cloud shadow (add 1 for dilated cloud, 2 for cirrus).</source>
        <translation>Positions de bits (0 = bit de poids faible) du raster de masque qui signifient « masquer ce pixel » lorsqu'ils valent 1, par exemple « 3, 4 » pour les nuages et ombres de nuages de la bande QA_PIXEL de Landsat Collection 2 (ajoutez 1 pour les nuages dilatés, 2 pour les cirrus).</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="128"/>
        <source>Masked raster</source>
        <translation>Raster masqué</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="129"/>
        <source>The input with nodata on every masked pixel.</source>
        <translation>L'entrée avec nodata sur chaque pixel masqué.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="132"/>
        <source>Masked pixels (percent)</source>
        <translation>Pixels masqués (pour cent)</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="135"/>
        <source>Masked pixels</source>
        <translation>Pixels masqués</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="185"/>
        <source>The valid range {0:g} .. {1:g} is empty; give the minimum first.</source>
        <translation>La plage valide {0:g} .. {1:g} est vide ; indiquez d'abord le minimum.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="201"/>
        <source>No invalid values, valid range or mask raster given: only pixels already nodata are masked.</source>
        <translation>Ni valeurs invalides, ni plage valide, ni raster de masque : seuls les pixels déjà nodata sont masqués.</translation>
    </message>
    <message>
        <location filename="../algorithms/maskraster.py" line="220"/>
        <source>Masked {0} of {1} pixels ({2:.2f} %), {3} of them newly; output type {4}, nodata {5}.</source>
        <translation>{0} pixels masqués sur {1} ({2:.2f} %), dont {3} nouvellement ; type de sortie {4}, nodata {5}.</translation>
    </message>
</context>
<context>
    <name>PolygonizeClasses</name>
    <message>
        <location filename="../algorithms/polygonize.py" line="51"/>
        <source>Polygonize classes</source>
        <translation>Polygoniser les classes</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="81"/>
        <source>Class raster</source>
        <translation>Raster de classes</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="82"/>
        <source>One-band raster of class codes (0 = nodata).</source>
        <translation>Raster à une bande de codes de classes (0 = nodata).</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="85"/>
        <source>Minimum polygon area (hectares)</source>
        <translation>Surface minimale des polygones (hectares)</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="93"/>
        <source>Patches smaller than this join their neighbours before polygonizing (needs a projected CRS). 0: keep every patch.</source>
        <translation>Les îlots plus petits rejoignent leurs voisins avant la polygonisation (nécessite un SCR projeté). 0 : conserver tous les îlots.</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="101"/>
        <source>One multipolygon per class</source>
        <translation>Un multipolygone par classe</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="104"/>
        <source>On: one feature per class. Off: one feature per patch.</source>
        <translation>Activé : une entité par classe. Désactivé : une entité par îlot.</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="107"/>
        <source>Boundary smoothing radius (pixels)</source>
        <translation>Rayon de lissage des limites (pixels)</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="116"/>
        <source>Smooth the class boundaries of the raster with this radius before polygonizing (see &apos;Smooth class boundaries&apos;). 0: no smoothing.</source>
        <translation>Lisse les limites de classes du raster avec ce rayon avant la polygonisation (voir « Lisser les limites de classes »). 0 : pas de lissage.</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="125"/>
        <source>Class polygons</source>
        <translation>Polygones des classes</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="128"/>
        <source>Polygons with class_id, class_name, area_ha and perimeter_m; a GeoPackage keeps the class colours as its default style.</source>
        <translation>Polygones avec class_id, class_name, area_ha et perimeter_m ; un GeoPackage conserve les couleurs des classes comme style par défaut.</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="175"/>
        <source>Minimum area {0:g} ha = {1} pixels.</source>
        <translation>Surface minimale {0:g} ha = {1} pixels.</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="170"/>
        <source>Cannot write a polygon to the output; check the output path.</source>
        <translation>Impossible d'écrire un polygone dans la sortie ; vérifiez le chemin de sortie.</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="222"/>
        <source>Land-cover class colours</source>
        <translation>Couleurs des classes d'occupation du sol</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="226"/>
        <source>The style could not be saved in the GeoPackage: {0}</source>
        <translation>Le style n'a pas pu être enregistré dans le GeoPackage : {0}</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="57"/>
        <source>Turns a class raster into polygons: one feature per patch (connected pixels of one class, joined by their edges), or with &apos;One multipolygon per class&apos; one multipolygon per class. Every feature has the fields class_id, class_name, area_ha and perimeter_m; every geometry is valid, and neighbouring polygons share their edges exactly, with neither gaps nor overlaps. The layer opens styled with the class colours; a GeoPackage output also stores this style as its default.

A minimum polygon area (hectares) first removes smaller patches the way &apos;Remove small patches&apos; does, so they join their neighbours instead of leaving holes. A boundary smoothing radius (pixels) first smooths the class boundaries of the raster the way &apos;Smooth class boundaries&apos; does: the polygons follow pixel edges, and smoothing the raster rather than simplifying the polygons keeps neighbours sharing their edges.

The raster is read block by block, once; patches crossing block borders are joined without seams, so a full Sentinel-2 tile (10980 x 10980 pixels) needs a few blocks of memory plus the polygons, and 2 bytes per pixel (about 240 MB) of temporary disk for the patch numbers.

Example: a sieved 10 m classification, minimum polygon area 0.5 ha, one feature per patch, output a GeoPackage, to edit and hand over.</source>
        <translation>Convertit un raster de classes en polygones : une entité par îlot (pixels connexes d'une même classe, reliés par leurs côtés) ou, avec « Un multipolygone par classe », un multipolygone par classe. Chaque entité a les champs class_id, class_name, area_ha et perimeter_m ; chaque géométrie est valide, et les polygones voisins partagent exactement leurs limites, sans trous ni chevauchements. La couche s'ouvre avec un style reprenant les couleurs des classes ; une sortie GeoPackage enregistre aussi ce style comme style par défaut.

Une surface minimale de polygone (en hectares) supprime d'abord les îlots plus petits, comme le fait « Supprimer les petits îlots », de sorte qu'ils rejoignent leurs voisins au lieu de laisser des trous. Un rayon de lissage des limites (en pixels) lisse d'abord les limites de classes du raster, comme le fait « Lisser les limites de classes » : les polygones suivent les bords des pixels, et lisser le raster plutôt que simplifier les polygones permet aux voisins de continuer à partager leurs limites.

Le raster est lu bloc par bloc, une seule fois ; les îlots qui traversent les bords des blocs sont raccordés sans couture, si bien qu'une tuile Sentinel-2 complète (10980 x 10980 pixels) ne demande en mémoire que quelques blocs plus les polygones, et 2 octets par pixel (environ 240 Mo) de disque temporaire pour les numéros des îlots.

Exemple : une classification à 10 m tamisée, surface minimale de polygone 0,5 ha, une entité par îlot, sortie au format GeoPackage, à modifier puis à livrer.</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="198"/>
        <source>{0} of {1}.</source>
        <translation>{0} sur {1}.</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="198"/>
        <source>{0} patch</source>
        <translation>{0} îlot</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="198"/>
        <source>{0} patches</source>
        <translation>{0} îlots</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="198"/>
        <source>{0} class</source>
        <translation>{0} classe</translation>
    </message>
    <message>
        <location filename="../algorithms/polygonize.py" line="198"/>
        <source>{0} classes</source>
        <translation>{0} classes</translation>
    </message>
</context>
<context>
    <name>SieveClasses</name>
    <message>
        <location filename="../algorithms/sieve.py" line="35"/>
        <source>Remove small patches (minimum mapping unit)</source>
        <translation>Supprimer les petits îlots (unité minimale de cartographie)</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="59"/>
        <source>Class raster</source>
        <translation>Raster de classes</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="60"/>
        <source>One-band raster of class codes (0 = nodata).</source>
        <translation>Raster à une bande de codes de classes (0 = nodata).</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="112"/>
        <source>Minimum patch size (pixels)</source>
        <translation>Taille minimale des îlots (pixels)</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="71"/>
        <source>Patches with fewer pixels than this are removed. 0: use the minimum area instead.</source>
        <translation>Les îlots de moins de pixels que cette valeur sont supprimés. 0 : utiliser la surface minimale à la place.</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="78"/>
        <source>Minimum patch area (hectares)</source>
        <translation>Surface minimale des îlots (hectares)</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="86"/>
        <source>Patches smaller than this area are removed (1 ha = 10 000 m²), rounded up to whole pixels. 0: use the minimum size in pixels instead.</source>
        <translation>Les îlots de surface inférieure à cette valeur sont supprimés (1 ha = 10 000 m²), arrondie au nombre entier de pixels supérieur. 0 : utiliser la taille minimale en pixels à la place.</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="94"/>
        <source>Pixel connectivity</source>
        <translation>Connexité des pixels</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="94"/>
        <source>4 (edges)</source>
        <translation>4 (côtés)</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="94"/>
        <source>8 (edges and corners)</source>
        <translation>8 (côtés et coins)</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="100"/>
        <source>4: pixels touching only at a corner belong to different patches. 8: they belong to the same patch, so diagonal lines count as one patch.</source>
        <translation>4 : des pixels qui ne se touchent que par un coin appartiennent à des îlots différents. 8 : ils appartiennent au même îlot, si bien qu'une ligne diagonale compte comme un seul îlot.</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="108"/>
        <source>Sieved map</source>
        <translation>Carte tamisée</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="109"/>
        <source>The class raster without patches below the minimum.</source>
        <translation>Le raster de classes sans les îlots inférieurs au minimum.</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="115"/>
        <source>Changed pixels</source>
        <translation>Pixels modifiés</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="126"/>
        <source>Give either a minimum size in pixels or a minimum area in hectares, not both; set the other one to 0.</source>
        <translation>Indiquez soit une taille minimale en pixels, soit une surface minimale en hectares, pas les deux ; mettez l'autre à 0.</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="131"/>
        <source>Give a minimum size in pixels (e.g. 10) or a minimum area in hectares (e.g. 0.5); both are 0.</source>
        <translation>Indiquez une taille minimale en pixels (par exemple 10) ou une surface minimale en hectares (par exemple 0.5) ; les deux valent 0.</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="148"/>
        <source>Minimum area {0:g} ha = {1} pixels.</source>
        <translation>Surface minimale {0:g} ha = {1} pixels.</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="158"/>
        <source>{0} pixel</source>
        <translation>{0} pixel</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="158"/>
        <source>{0} pixels</source>
        <translation>{0} pixels</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="41"/>
        <source>Applies a minimum mapping unit to a class raster with GDAL&apos;s sieve: every patch (connected pixels of one class) smaller than the minimum takes the class of its largest neighbouring patch. If that neighbour is below the minimum too, the patch follows that neighbour&apos;s own largest neighbour, and so on, up to the first patch at least as large as the minimum; two small patches that are each other&apos;s largest neighbour stay as they are. Nodata stays nodata and is never merged into; a patch surrounded by nodata only is kept. Class names and colours are kept.

Give the minimum either as a minimum patch size in pixels or as a minimum patch area in hectares (converted with the pixel size; needs a projected CRS). The raster is read line by line, so memory grows with the number of patches, not with the raster size, and the result equals sieving it all at once.

Example: a 10 m classification with a minimum patch area of 0.5 ha removes patches smaller than 50 pixels.</source>
        <translation>Applique une unité minimale de cartographie à un raster de classes avec le tamisage de GDAL : chaque îlot (pixels connexes d'une même classe) plus petit que le minimum prend la classe de son plus grand îlot voisin. Si ce voisin est lui aussi sous le minimum, l'îlot suit le plus grand voisin de ce voisin, et ainsi de suite, jusqu'au premier îlot au moins aussi grand que le minimum ; deux petits îlots dont chacun est le plus grand voisin de l'autre restent tels quels. Les pixels sans donnée restent sans donnée et ne sont jamais la cible d'une fusion ; un îlot entouré uniquement de pixels sans donnée est conservé. Les noms et couleurs des classes sont conservés.

Indiquez le minimum soit comme taille minimale d'îlot en pixels, soit comme surface minimale d'îlot en hectares (convertie d'après la taille des pixels ; nécessite un SCR projeté). Le raster est lu ligne par ligne : la mémoire utilisée croît avec le nombre d'îlots et non avec la taille du raster, et le résultat est identique à un tamisage en une seule fois.

Exemple : sur une classification à 10 m, une surface minimale d'îlot de 0,5 ha supprime les îlots de moins de 50 pixels.</translation>
    </message>
    <message>
        <location filename="../algorithms/sieve.py" line="158"/>
        <source>{0} changed class.</source>
        <translation>Changement de classe pour {0}.</translation>
    </message>
</context>
<context>
    <name>SmoothBoundaries</name>
    <message>
        <location filename="../algorithms/smooth.py" line="26"/>
        <source>Smooth class boundaries</source>
        <translation>Lisser les limites de classes</translation>
    </message>
    <message>
        <location filename="../algorithms/smooth.py" line="49"/>
        <source>Class raster</source>
        <translation>Raster de classes</translation>
    </message>
    <message>
        <location filename="../algorithms/smooth.py" line="50"/>
        <source>One-band raster of class codes (0 = nodata).</source>
        <translation>Raster à une bande de codes de classes (0 = nodata).</translation>
    </message>
    <message>
        <location filename="../algorithms/smooth.py" line="53"/>
        <source>Radius (pixels)</source>
        <translation>Rayon (pixels)</translation>
    </message>
    <message>
        <location filename="../algorithms/smooth.py" line="71"/>
        <source>Smoothed map</source>
        <translation>Carte lissée</translation>
    </message>
    <message>
        <location filename="../algorithms/smooth.py" line="72"/>
        <source>The smoothed class raster, with the input&apos;s classes.</source>
        <translation>Le raster de classes lissé, avec les classes de l'entrée.</translation>
    </message>
    <message>
        <location filename="../algorithms/smooth.py" line="32"/>
        <source>Makes class boundaries less jagged without shifting them. Each class is opened (eroded, then dilated) with a disc of the given radius: spurs, strands, specks and teeth narrower than the disc are freed, and since the classes share the map, a notch in one class is a spur of its neighbour, so both sides of a boundary are smoothed (opening one class closes the others). Freed pixels take the most frequent class among the kept pixels of the disc around them (a tie keeps the pixel&apos;s class); a pixel with no kept pixel near it keeps its class. Nodata stays nodata and never votes. Class names and colours are kept. The raster is processed in overlapping blocks; the result equals smoothing it all at once.

Example: radius 2 on a 10 m classification removes features narrower than about 50 m along boundaries; follow with &apos;Polygonize classes&apos; for smoother polygons.</source>
        <translation>Rend les limites de classes moins dentelées sans les déplacer. Chaque classe subit une ouverture (érosion puis dilatation) par un disque du rayon indiqué : les éperons, filaments, grains et dents plus étroits que le disque sont libérés ; et comme les classes se partagent la carte, une encoche dans une classe est un éperon de sa voisine, si bien que les deux côtés d'une limite sont lissés (ouvrir une classe revient à fermer les autres). Les pixels libérés prennent la classe la plus fréquente parmi les pixels conservés du disque qui les entoure (en cas d'égalité, le pixel garde sa classe) ; un pixel sans aucun pixel conservé à proximité garde sa classe. Les pixels sans donnée restent sans donnée et ne votent jamais. Les noms et couleurs des classes sont conservés. Le raster est traité par blocs qui se recouvrent ; le résultat est identique à un lissage en une seule fois.

Exemple : un rayon de 2 sur une classification à 10 m supprime, le long des limites, les formes plus étroites qu'environ 50 m ; enchaînez avec « Polygoniser les classes » pour obtenir des polygones plus lisses.</translation>
    </message>
    <message>
        <location filename="../algorithms/smooth.py" line="61"/>
        <source>Radius of the disc in pixels (1: a 3 x 3 square). Parts of a class narrower than twice the radius plus one pixel are removed.</source>
        <translation>Rayon du disque en pixels (1 : un carré de 3 x 3). Les parties d'une classe plus étroites que deux fois le rayon plus un pixel sont supprimées.</translation>
    </message>
</context>
<context>
    <name>SpatialCrossValidation</name>
    <message>
        <location filename="../algorithms/spatialcv.py" line="39"/>
        <source>Spatial cross-validation</source>
        <translation>Validation croisée spatiale</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="45"/>
        <source>Estimates how well a classifier will do on parts of the map it has not seen, by cross-validation that keeps whole training polygons (or whole spatial blocks) together, and shows the same figures from a plain random pixel split beside them. Pixels of one polygon are near-copies of each other, so a random split tests the classifier on pixels it has practically seen and overstates accuracy; the difference between the two is that optimism.

Inputs: the feature raster and training polygons (any CRS) as for &apos;Train classifier&apos;, with their class field (names or codes); the classifier; the number of folds; the strategy: grouped by polygon, or spatial blocks of a given size in map units (polygons that share a block stay together too); a cap on the pixels used per class, to keep the run short.

Outputs: a CSV table with the overall accuracy, kappa and macro F1 of every fold and their mean and standard deviation, for the spatial and the random split; an HTML report with both side by side, per-class F1 and the pooled confusion matrix; the two mean overall accuracies as numbers.

Example: 5 folds of 2 km blocks with Random Forest, to check whether the accuracy reported by training holds away from the training polygons.</source>
        <translation>Estime la performance d'un classifieur sur des parties de la carte qu'il n'a pas vues, par une validation croisée qui garde ensemble des polygones d'entraînement entiers (ou des blocs spatiaux entiers), et affiche à côté les mêmes indicateurs obtenus avec une simple répartition aléatoire des pixels. Les pixels d'un même polygone sont presque des copies les uns des autres : une répartition aléatoire teste donc le classifieur sur des pixels qu'il a pratiquement déjà vus et surestime la précision ; l'écart entre les deux mesure cet optimisme.

Entrées : le raster de variables et les polygones d'entraînement (n'importe quel SCR) comme pour « Entraîner un classifieur », avec leur champ de classe (noms ou codes) ; le classifieur ; le nombre de plis ; la stratégie : regroupement par polygone, ou blocs spatiaux d'une taille donnée en unités de la carte (les polygones qui partagent un bloc restent aussi ensemble) ; un plafond de pixels par classe, pour garder un temps de calcul court.

Sorties : un tableau CSV avec la précision globale, le kappa et le F1 macro de chaque pli ainsi que leur moyenne et leur écart-type, pour la répartition spatiale et la répartition aléatoire ; un rapport HTML les présentant côte à côte, avec le F1 par classe et la matrice de confusion cumulée ; les deux précisions globales moyennes sous forme de nombres.

Exemple : 5 plis de blocs de 2 km avec la forêt aléatoire, pour vérifier que la précision annoncée par l'entraînement se maintient loin des polygones d'entraînement.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="66"/>
        <source>Feature raster</source>
        <translation>Raster de variables</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="67"/>
        <source>The raster whose bands the classifier learns from.</source>
        <translation>Le raster dont les bandes servent à l'apprentissage du classifieur.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="70"/>
        <source>Training polygons</source>
        <translation>Polygones d'entraînement</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="70"/>
        <source>Polygons of known class, in any CRS.</source>
        <translation>Polygones de classe connue, dans n'importe quel SCR.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="70"/>
        <source>Field with each polygon&apos;s class: a name or a code above 0.</source>
        <translation>Champ contenant la classe de chaque polygone : un nom ou un code supérieur à 0.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="76"/>
        <source>The classifier to evaluate, with its default settings.</source>
        <translation>Le classifieur à évaluer, avec ses réglages par défaut.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="80"/>
        <source>Folds</source>
        <translation>Plis</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="88"/>
        <source>Number of folds; each is tested once on a model trained on the others.</source>
        <translation>Nombre de plis ; chacun est testé une fois avec un modèle entraîné sur les autres.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="93"/>
        <source>Keep together</source>
        <translation>Garder ensemble</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="93"/>
        <source>Each polygon</source>
        <translation>Chaque polygone</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="93"/>
        <source>Spatial blocks</source>
        <translation>Blocs spatiaux</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="99"/>
        <source>Each polygon: a polygon&apos;s pixels are all in one fold. Spatial blocks: all pixels in a square block (and the polygons touching it) are in one fold, which also separates neighbouring polygons.</source>
        <translation>Chaque polygone : tous les pixels d'un polygone sont dans le même pli. Blocs spatiaux : tous les pixels d'un bloc carré (et les polygones qui le touchent) sont dans le même pli, ce qui sépare aussi les polygones voisins.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="108"/>
        <source>Block size</source>
        <translation>Taille des blocs</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="124"/>
        <source>Maximum pixels per class (0: all)</source>
        <translation>Nombre maximal de pixels par classe (0 : tous)</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="131"/>
        <source>At most this many pixels of each class, drawn at random, keep it quick.</source>
        <translation>Au plus ce nombre de pixels de chaque classe, tirés au hasard, pour rester rapide.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="137"/>
        <source>The same seed gives the same folds and the same figures.</source>
        <translation>La même graine donne les mêmes plis et les mêmes indicateurs.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="139"/>
        <source>Cross-validation metrics</source>
        <translation>Indicateurs de la validation croisée</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="139"/>
        <source>Per-fold, mean and standard deviation figures of both splits.</source>
        <translation>Indicateurs par pli, moyenne et écart-type, pour les deux répartitions.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="145"/>
        <source>Self-contained HTML report comparing both splits.</source>
        <translation>Rapport HTML autonome comparant les deux répartitions.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="150"/>
        <source>Spatial mean accuracy</source>
        <translation>Précision moyenne (spatiale)</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="153"/>
        <source>Random-split mean accuracy</source>
        <translation>Précision moyenne (répartition aléatoire)</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="166"/>
        <source>Spatial blocks need a block size above 0.</source>
        <translation>Les blocs spatiaux demandent une taille de bloc supérieure à 0.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="229"/>
        <source>Mean overall accuracy: {0:.3f} with {1} kept together, {2:.3f} with a random pixel split (optimism {3:+.3f}).</source>
        <translation>Précision globale moyenne : {0:.3f} avec {1} gardés ensemble, {2:.3f} avec une répartition aléatoire des pixels (optimisme {3:+.3f}).</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="115"/>
        <source>Side of the spatial blocks in the raster&apos;s map units (degrees on a geographic raster); larger than the distance over which the land cover looks alike.</source>
        <translation>Côté des blocs spatiaux, en unités de carte du raster (en degrés pour un raster géographique) ; à choisir plus grand que la distance sur laquelle l'occupation du sol reste semblable.</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="145"/>
        <source>Cross-validation report</source>
        <translation>Rapport de validation croisée</translation>
    </message>
    <message>
        <location filename="../algorithms/spatialcv.py" line="202"/>
        <source>block size</source>
        <translation>taille des blocs</translation>
    </message>
</context>
<context>
    <name>SpectralIndices</name>
    <message>
        <location filename="../algorithms/spectralindices.py" line="100"/>
        <source>Spectral indices</source>
        <translation>Indices spectraux</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="147"/>
        <source>Input multiband raster</source>
        <translation>Raster multibande en entrée</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="148"/>
        <source>Multiband image (digital numbers or reflectance).</source>
        <translation>Image multibande (comptes numériques ou réflectance).</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="151"/>
        <source>Sensor preset (band order)</source>
        <translation>Préréglage de capteur (ordre des bandes)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="157"/>
        <source>Band order and scale of a common product, so band numbers need not be looked up. &apos;Custom&apos; uses only the band numbers given below.</source>
        <translation>Ordre des bandes et facteur d'échelle d'un produit courant, pour ne pas avoir à chercher les numéros de bandes. « Personnalisé » n'utilise que les numéros de bandes indiqués ci-dessous.</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="167"/>
        <source>{0} band</source>
        <translation>Bande {0}</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="173"/>
        <source>Band number of the {0} band. Empty or 0: the preset&apos;s band (with &apos;Custom&apos;: not available).</source>
        <translation>Numéro de la bande {0}. Vide ou 0 : la bande du préréglage (avec « Personnalisé » : non disponible).</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="181"/>
        <source>Indices</source>
        <translation>Indices</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="197"/>
        <source>Scale factor to reflectance</source>
        <translation>Facteur d'échelle vers la réflectance</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="203"/>
        <source>Reflectance = value x scale factor + offset. Empty: the preset&apos;s (0.0001 for Sentinel-2 L2A, 0.0000275 for Landsat C2 L2, 1 for &apos;Custom&apos;). SAVI, EVI, EVI2 and MSAVI are only meaningful on reflectance.</source>
        <translation>Réflectance = valeur x facteur d'échelle + décalage. Vide : celui du préréglage (0.0001 pour Sentinel-2 L2A, 0.0000275 pour Landsat C2 L2, 1 pour « Personnalisé »). SAVI, EVI, EVI2 et MSAVI n'ont de sens que sur de la réflectance.</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="215"/>
        <source>Offset to reflectance</source>
        <translation>Décalage vers la réflectance</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="221"/>
        <source>Added after scaling. Empty: the preset&apos;s (-0.2 for Landsat C2 L2, else 0). Use -0.1 for Sentinel-2 L2A of processing baseline 04.00 or later.</source>
        <translation>Ajouté après la mise à l'échelle. Vide : celui du préréglage (-0.2 pour Landsat C2 L2, sinon 0). Utilisez -0.1 pour Sentinel-2 L2A de baseline de traitement 04.00 ou ultérieure.</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="230"/>
        <source>Append to the input bands</source>
        <translation>Ajouter aux bandes d'entrée</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="233"/>
        <source>Write the input bands first, then the indices: one feature stack ready for training. Otherwise only the indices are written.</source>
        <translation>Écrit d'abord les bandes d'entrée, puis les indices : une seule pile de variables prête pour l'entraînement. Sinon, seuls les indices sont écrits.</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="244"/>
        <source>Float32 raster (nodata NaN), one band per index named after it.</source>
        <translation>Raster float32 (nodata NaN), une bande par indice portant son nom.</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="322"/>
        <source>The scale factor must not be 0.</source>
        <translation>Le facteur d'échelle ne doit pas valoir 0.</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="354"/>
        <source>Output bands: {0}</source>
        <translation>Bandes de sortie : {0}</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="25"/>
        <source>Custom (give band numbers)</source>
        <translation>Personnalisé (numéros de bandes à indiquer)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="25"/>
        <source>Sentinel-2 L2A, 10 bands (B2,B3,B4,B5,B6,B7,B8,B8A,B11,B12)</source>
        <translation>Sentinel-2 L2A, 10 bandes (B2,B3,B4,B5,B6,B7,B8,B8A,B11,B12)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="25"/>
        <source>Sentinel-2 L2A, 4 bands at 10 m (B2,B3,B4,B8)</source>
        <translation>Sentinel-2 L2A, 4 bandes à 10 m (B2,B3,B4,B8)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="25"/>
        <source>Sentinel-2 L2A, 12 bands (B1,B2,B3,B4,B5,B6,B7,B8,B8A,B9,B11,B12)</source>
        <translation>Sentinel-2 L2A, 12 bandes (B1,B2,B3,B4,B5,B6,B7,B8,B8A,B9,B11,B12)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="25"/>
        <source>Landsat 8/9 Collection 2 Level-2 (SR_B1 to SR_B7)</source>
        <translation>Landsat 8/9 Collection 2 Level-2 (SR_B1 à SR_B7)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="49"/>
        <source>Blue</source>
        <translation>bleue</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="50"/>
        <source>Green</source>
        <translation>verte</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="51"/>
        <source>Red</source>
        <translation>rouge</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="52"/>
        <source>NIR</source>
        <translation>proche infrarouge (NIR)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="53"/>
        <source>SWIR1</source>
        <translation>SWIR1</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="54"/>
        <source>SWIR2</source>
        <translation>SWIR2</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="106"/>
        <source>Computes spectral indices from a multiband image, block by block, into a float32 raster (nodata NaN) ready to stack with the bands for training.

Indices: NDVI (NIR, Red), NDWI after McFeeters (Green, NIR), MNDWI (Green, SWIR1), NDBI (SWIR1, NIR), SAVI with L = 0.5 (NIR, Red), EVI (NIR, Red, Blue), NBR (NIR, SWIR2), NDMI (NIR, SWIR1), GNDVI (NIR, Green), EVI2 (NIR, Red), MSAVI (NIR, Red) and BSI, the bare soil index (SWIR1, Red, NIR, Blue).

Band order of the sensor presets (band numbers given explicitly override the preset):
- Sentinel-2 L2A, 10 bands: B2, B3, B4, B5, B6, B7, B8, B8A, B11, B12, so Blue 1, Green 2, Red 3, NIR 7 (B8), SWIR1 9 (B11), SWIR2 10 (B12); scale 0.0001.
- Sentinel-2 L2A, 4 bands at 10 m: B2, B3, B4, B8, so Blue 1, Green 2, Red 3, NIR 4; scale 0.0001.
- Sentinel-2 L2A, 12 bands: B1, B2, B3, B4, B5, B6, B7, B8, B8A, B9, B11, B12, so Blue 2, Green 3, Red 4, NIR 8, SWIR1 11, SWIR2 12; scale 0.0001.
- Landsat 8/9 Collection 2 Level-2: SR_B1 to SR_B7, so Blue 2, Green 3, Red 4, NIR 5, SWIR1 6, SWIR2 7; scale 0.0000275, offset -0.2.

Band roles: a band whose description or metadata names its role (as &apos;Import Sentinel-2 / Landsat product&apos;, &apos;Align and stack rasters&apos; and this tool write them, e.g. &apos;nir (B08)&apos;) is used for that role before the preset&apos;s band order, with any preset, &apos;Custom&apos; included; the log says which band each role took and why. A stack tagged as reflectance (by the import tool) is not scaled again. With &apos;Append to the input bands&apos;, input bands used for a role are described by it, e.g. &apos;nir (band 4)&apos;.

Every index is computed on reflectance = value x scale factor + offset. Sentinel-2 L2A products of processing baseline 04.00 or later (from January 2022) carry an offset of -1000: set the offset to -0.1 for them unless the offset was already removed.

A pixel is nodata (NaN) in an index when a band the index uses is nodata there or when the index divides by zero; an index whose band is not assigned stops the tool with a message naming the band.

Output: one band per index, named after it (e.g. &apos;NDVI&apos;); with &apos;Append to the input bands&apos; the input bands come first (named after their descriptions, or &apos;band N&apos;). Each band records how it was made in its LANDCOVER_FEATURE metadata, so later steps can check that a scene was built the same way.

Example: a Sentinel-2 L2A 10-band stack, preset &apos;Sentinel-2 L2A, 10 bands&apos;, indices NDVI, MNDWI and NDBI, append to the input: a 13-band feature stack that separates water, vegetation and built-up land far better than the bands alone.</source>
        <translation>Calcule des indices spectraux à partir d'une image multibande, bloc par bloc, dans un raster float32 (nodata NaN) prêt à être empilé avec les bandes pour l'entraînement.

Indices : NDVI (NIR, Rouge), NDWI selon McFeeters (Vert, NIR), MNDWI (Vert, SWIR1), NDBI (SWIR1, NIR), SAVI avec L = 0,5 (NIR, Rouge), EVI (NIR, Rouge, Bleu), NBR (NIR, SWIR2), NDMI (NIR, SWIR1), GNDVI (NIR, Vert), EVI2 (NIR, Rouge), MSAVI (NIR, Rouge) et BSI, l'indice de sol nu (SWIR1, Rouge, NIR, Bleu).

Ordre des bandes des préréglages de capteur (des numéros de bande indiqués explicitement remplacent le préréglage) :
- Sentinel-2 L2A, 10 bandes : B2, B3, B4, B5, B6, B7, B8, B8A, B11, B12, donc Bleu 1, Vert 2, Rouge 3, NIR 7 (B8), SWIR1 9 (B11), SWIR2 10 (B12) ; échelle 0,0001.
- Sentinel-2 L2A, 4 bandes à 10 m : B2, B3, B4, B8, donc Bleu 1, Vert 2, Rouge 3, NIR 4 ; échelle 0,0001.
- Sentinel-2 L2A, 12 bandes : B1, B2, B3, B4, B5, B6, B7, B8, B8A, B9, B11, B12, donc Bleu 2, Vert 3, Rouge 4, NIR 8, SWIR1 11, SWIR2 12 ; échelle 0,0001.
- Landsat 8/9 Collection 2 Level-2 : SR_B1 à SR_B7, donc Bleu 2, Vert 3, Rouge 4, NIR 5, SWIR1 6, SWIR2 7 ; échelle 0,0000275, décalage -0,2.

Rôles des bandes : une bande dont la description ou les métadonnées indiquent le rôle (comme les écrivent « Importer un produit Sentinel-2 / Landsat », « Aligner et empiler des rasters » et cet outil, p. ex. « nir (B08) ») est affectée à ce rôle en priorité sur l'ordre des bandes du préréglage, quel que soit le préréglage, « Personnalisé » compris ; le journal indique quelle bande a été retenue pour chaque rôle et pourquoi. Une pile marquée comme réflectance (par l'outil d'import) n'est pas remise à l'échelle. Avec « Ajouter aux bandes d'entrée », les bandes d'entrée utilisées pour un rôle sont décrites par celui-ci, p. ex. « nir (band 4) ».

Chaque indice est calculé sur la réflectance = valeur x facteur d'échelle + décalage. Les produits Sentinel-2 L2A de baseline de traitement 04.00 ou ultérieure (depuis janvier 2022) comportent un décalage de -1000 : réglez pour eux le décalage sur -0,1, sauf si ce décalage a déjà été retiré.

Un pixel est sans donnée (NaN) dans un indice lorsqu'une bande utilisée par l'indice y est sans donnée ou lorsque l'indice y divise par zéro ; un indice dont une bande n'est pas attribuée arrête l'outil avec un message nommant cette bande.

Sortie : une bande par indice, nommée d'après celui-ci (p. ex. « NDVI ») ; avec « Ajouter aux bandes d'entrée », les bandes d'entrée viennent en premier (nommées d'après leur description, ou « band N »). Chaque bande consigne la façon dont elle a été produite dans ses métadonnées LANDCOVER_FEATURE, ce qui permet aux étapes suivantes de vérifier qu'une scène a été construite de la même façon.

Exemple : une pile Sentinel-2 L2A à 10 bandes, préréglage « Sentinel-2 L2A, 10 bandes », indices NDVI, MNDWI et NDBI, ajoutés aux bandes d'entrée : une pile de variables à 13 bandes qui distingue l'eau, la végétation et le bâti bien mieux que les bandes seules.</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="189"/>
        <source>Indices to compute, one output band each, in this order. None is allowed when the input bands are appended (imagery without near infrared).</source>
        <translation>Indices à calculer, une bande de sortie chacun, dans cet ordre. La sélection peut être vide lorsque les bandes d'entrée sont ajoutées (imagerie sans proche infrarouge).</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="243"/>
        <source>Index raster</source>
        <translation>Raster d'indices</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="280"/>
        <source>{0}: band {1} (given)</source>
        <translation>{0} : bande {1} (indiquée)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="282"/>
        <source>{0}: band {1} (described as &apos;{2}&apos;)</source>
        <translation>{0} : bande {1} (décrite comme « {2} »)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="286"/>
        <source>{0}: band {1} (band order of the preset &apos;{2}&apos;; no band is described as {0}: check that the input has this band order)</source>
        <translation>{0} : bande {1} (ordre des bandes du préréglage « {2} » ; aucune bande n'est décrite comme {0} : vérifiez que l'entrée suit cet ordre de bandes)</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="293"/>
        <source>The input is already reflectance (tagged LANDCOVER_UNITS=reflectance): the preset&apos;s scale and offset are not applied.</source>
        <translation>L'entrée est déjà en réflectance (marquée LANDCOVER_UNITS=reflectance) : l'échelle et le décalage du préréglage ne sont pas appliqués.</translation>
    </message>
    <message>
        <location filename="../algorithms/spectralindices.py" line="339"/>
        <source>Reflectance = value x {0} + {1}</source>
        <translation>Réflectance = valeur x {0} + {1}</translation>
    </message>
</context>
<context>
    <name>StratifiedValidationPoints</name>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="46"/>
        <source>Stratified random validation points</source>
        <translation>Points de validation aléatoires stratifiés</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="52"/>
        <source>Creates validation points at random inside each class of a land-cover map (a stratified random sample with the map classes as strata), ready to be labelled by field visits or photo-interpretation and then assessed with &apos;Accuracy assessment&apos;, which uses the area-adjusted estimates of Olofsson et al. (2014) for such a sample.

Inputs: the class raster; either a number of points per class, or a total shared among the classes in proportion to their area or equally, with a minimum per class so rare classes are assessed too; a minimum distance between points (map units) to limit spatial clustering; a random seed (the same seed gives the same points).

Output: points at pixel centres, in the raster&apos;s CRS, with the fields &apos;map_class&apos; (class code on the map), &apos;map_name&apos; (class name) and an empty &apos;reference_class&apos; to fill in with the true class (a name or code of the map&apos;s classes). Nodata pixels never receive a point. Classes too small for their points at the minimum distance get fewer points, with a warning.

Example: 50 points per class, at least 100 m apart; fill in &apos;reference_class&apos;, then run &apos;Accuracy assessment&apos; with &apos;reference_class&apos; as the class field.</source>
        <translation>Crée des points de validation tirés au hasard dans chaque classe d'une carte d'occupation du sol (un échantillon aléatoire stratifié dont les strates sont les classes de la carte), prêts à être étiquetés par des relevés de terrain ou par photo-interprétation puis évalués avec « Évaluation de la précision », qui applique à un tel échantillon les estimations ajustées par la surface d'Olofsson et al. (2014).

Entrées : le raster de classes ; soit un nombre de points par classe, soit un total réparti entre les classes proportionnellement à leur surface ou à parts égales, avec un minimum par classe pour que les classes rares soient aussi évaluées ; une distance minimale entre points (unités de la carte) pour limiter l'agrégation spatiale ; une graine aléatoire (la même graine donne les mêmes points).

Sortie : des points aux centres des pixels, dans le SCR du raster, avec les champs « map_class » (code de la classe sur la carte), « map_name » (nom de la classe) et un champ « reference_class » vide, à remplir avec la classe réelle (un nom ou un code des classes de la carte). Les pixels nodata ne reçoivent jamais de point. Les classes trop petites pour tous leurs points à la distance minimale en reçoivent moins, avec un avertissement.

Exemple : 50 points par classe, espacés d'au moins 100 m ; remplissez « reference_class », puis lancez « Évaluation de la précision » avec « reference_class » comme champ de classe.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="74"/>
        <source>Class raster</source>
        <translation>Raster de classes</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="75"/>
        <source>The land-cover map whose classes are the strata.</source>
        <translation>La carte d'occupation du sol dont les classes sont les strates.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="78"/>
        <source>Points per class</source>
        <translation>Points par classe</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="85"/>
        <source>Number of points in every class (fewer in a class with fewer pixels). Used when the total number of points is 0.</source>
        <translation>Nombre de points dans chaque classe (moins dans une classe qui a moins de pixels). Utilisé lorsque le nombre total de points vaut 0.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="93"/>
        <source>Total number of points (0: use points per class)</source>
        <translation>Nombre total de points (0 : utiliser les points par classe)</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="100"/>
        <source>When above 0, this many points are shared among the classes by the allocation below, instead of a fixed number per class.</source>
        <translation>S'il est supérieur à 0, ce nombre de points est réparti entre les classes selon l'allocation ci-dessous, au lieu d'un nombre fixe par classe.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="108"/>
        <source>Allocation of the total</source>
        <translation>Allocation du total</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="108"/>
        <source>Proportional to class area</source>
        <translation>Proportionnelle à la surface de la classe</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="108"/>
        <source>Equal per class</source>
        <translation>Égale pour chaque classe</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="114"/>
        <source>How the total is shared: in proportion to each class&apos;s mapped area, or the same number for each class.</source>
        <translation>Répartition du total : proportionnellement à la surface cartographiée de chaque classe, ou le même nombre pour chaque classe.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="122"/>
        <source>Minimum points per class</source>
        <translation>Nombre minimal de points par classe</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="129"/>
        <source>With a total, every class gets at least this many points (the larger classes give way), so rare classes still get usable accuracy figures.</source>
        <translation>Avec un total, chaque classe reçoit au moins ce nombre de points (les grandes classes cèdent la place), pour que les classes rares aient tout de même des indicateurs de précision exploitables.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="137"/>
        <source>Minimum distance between points</source>
        <translation>Distance minimale entre points</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="153"/>
        <source>The same seed always gives the same points.</source>
        <translation>La même graine donne toujours les mêmes points.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="155"/>
        <source>Validation points</source>
        <translation>Points de validation</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="158"/>
        <source>Points with &apos;map_class&apos;, &apos;map_name&apos; and an empty &apos;reference_class&apos; to fill in.</source>
        <translation>Points avec « map_class », « map_name » et un champ « reference_class » vide à remplir.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="213"/>
        <source>  {0} {1}: {2} points ({3} pixels)</source>
        <translation>  {0} {1} : {2} points ({3} pixels)</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="144"/>
        <source>Points are at least this far apart (in the raster&apos;s map units, degrees on a geographic raster; 0 for no limit), so neighbouring, alike pixels are not counted twice.</source>
        <translation>Les points sont distants d'au moins cette valeur (en unités de carte du raster, en degrés pour un raster géographique ; 0 pour aucune limite), afin que des pixels voisins et semblables ne soient pas comptés deux fois.</translation>
    </message>
    <message>
        <location filename="../algorithms/samplingdesign.py" line="178"/>
        <source>minimum distance</source>
        <translation>distance minimale</translation>
    </message>
</context>
<context>
    <name>Texture</name>
    <message>
        <location filename="../algorithms/texture.py" line="46"/>
        <source>Texture features</source>
        <translation>Variables de texture</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="81"/>
        <source>Input raster</source>
        <translation>Raster en entrée</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="82"/>
        <source>Raster whose bands are measured.</source>
        <translation>Raster dont les bandes sont mesurées.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="85"/>
        <source>Bands</source>
        <translation>Bandes</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="100"/>
        <source>Window size (pixels, odd)</source>
        <translation>Taille de la fenêtre (pixels, impaire)</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="108"/>
        <source>Width of the square window, an odd number from 3 to 31. Larger windows describe coarser texture and blur class edges more; the run time does not depend on it.</source>
        <translation>Largeur de la fenêtre carrée, un nombre impair de 3 à 31. Les grandes fenêtres décrivent une texture plus grossière et estompent davantage les limites de classes ; le temps de calcul n'en dépend pas.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="117"/>
        <source>Measures</source>
        <translation>Mesures</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="124"/>
        <source>Texture measures to compute for every band, in this order.</source>
        <translation>Mesures de texture à calculer pour chaque bande, dans cet ordre.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="127"/>
        <source>Grey levels (entropy and GLCM)</source>
        <translation>Niveaux de gris (entropie et GLCM)</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="135"/>
        <source>Number of grey levels the values are divided into for entropy and GLCM measures. Keep it below the number of pixels in the window; entropy costs time in proportion to it.</source>
        <translation>Nombre de niveaux de gris entre lesquels les valeurs sont réparties pour l'entropie et les mesures GLCM. Gardez-le inférieur au nombre de pixels de la fenêtre ; le temps de calcul de l'entropie lui est proportionnel.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="145"/>
        <source>Append to the input bands</source>
        <translation>Ajouter aux bandes d'entrée</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="148"/>
        <source>Write the input bands first, then the texture bands: one feature stack ready for training. Otherwise only the texture bands are written.</source>
        <translation>Écrit d'abord les bandes d'entrée, puis les bandes de texture : une seule pile de variables prête pour l'entraînement. Sinon, seules les bandes de texture sont écrites.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="158"/>
        <source>Texture</source>
        <translation>Texture</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="159"/>
        <source>Float32 raster (nodata NaN), one band per band and measure, named after both.</source>
        <translation>Raster float32 (nodata NaN), une bande par bande et par mesure, nommée d'après les deux.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="172"/>
        <source>The window size must be odd (3, 5, 7, ... 31) so that it has a centre pixel; {0} is even.</source>
        <translation>La taille de la fenêtre doit être impaire (3, 5, 7, ... 31) pour qu'elle ait un pixel central ; {0} est pair.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="177"/>
        <source>Choose at least one texture measure.</source>
        <translation>Choisissez au moins une mesure de texture.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="218"/>
        <source>Band {0}: grey levels between {1:.6g} and {2:.6g}</source>
        <translation>Bande {0} : niveaux de gris entre {1:.6g} et {2:.6g}</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="221"/>
        <source>Output bands: {0}</source>
        <translation>Bandes de sortie : {0}</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="23"/>
        <source>Mean</source>
        <translation>Moyenne</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="23"/>
        <source>Standard deviation</source>
        <translation>Écart-type</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="23"/>
        <source>Variance</source>
        <translation>Variance</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="23"/>
        <source>Entropy</source>
        <translation>Entropie</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="23"/>
        <source>GLCM contrast</source>
        <translation>Contraste GLCM</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="23"/>
        <source>GLCM homogeneity</source>
        <translation>Homogénéité GLCM</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="52"/>
        <source>Computes texture in a square moving window around every pixel: how much the values vary nearby. Texture separates classes of similar colour, such as forest and grassland or built-up land and bare soil.

Measures: mean; standard deviation and variance (population variance); entropy, in bits, of the grey levels in the window (0 when uniform); GLCM contrast and homogeneity, from the symmetric grey-level co-occurrences of neighbouring pixels at distance 1, pooled over the four directions (0, 45, 90 and 135 degrees). Entropy and GLCM use &apos;Grey levels&apos; equal steps between the 2nd and 98th percentiles of each band (from a sample of the raster); values outside go to the first or last level.

Every measure comes from moving-window sums, so a 31 x 31 window costs no more than a 3 x 3 one. The raster is processed in blocks overlapping by half a window, and the result equals that of the whole raster at once, without seams. Nodata pixels do not count in any window; a pixel that is nodata is nodata (NaN) in the output; windows at the raster edge use the pixels inside it.

Bands: by default, the band described as NIR (its description starts with &apos;nir&apos;, as &apos;Import Sentinel-2 / Landsat product&apos;, &apos;Align and stack rasters&apos; and &apos;Spectral indices&apos; write it, e.g. &apos;nir (B08)&apos;, or is just &apos;NIR&apos;); without one, band 1, with a warning in the log saying so.

Output: float32 (nodata NaN), for each band each measure, named like &apos;B8 variance 7x7&apos;; with &apos;Append to the input bands&apos; the input bands come first. Each band records how it was made in its LANDCOVER_FEATURE metadata.

Example: on a Sentinel-2 stack with NDVI appended, the NIR band (7) with window 7, measures variance and entropy, appended to the input: a feature stack where fields and forests of similar colour differ by texture.</source>
        <translation>Calcule la texture dans une fenêtre mobile carrée autour de chaque pixel : la variabilité des valeurs à proximité. La texture distingue des classes de couleur semblable, comme la forêt et la prairie, ou le bâti et le sol nu.

Mesures : moyenne ; écart type et variance (variance de la population) ; entropie, en bits, des niveaux de gris dans la fenêtre (0 si uniforme) ; contraste et homogénéité GLCM, issus des cooccurrences symétriques de niveaux de gris entre pixels voisins à distance 1, regroupées sur les quatre directions (0, 45, 90 et 135 degrés). L'entropie et la GLCM utilisent autant de paliers égaux que la valeur de « Niveaux de gris », entre les 2e et 98e centiles de chaque bande (calculés sur un échantillon du raster) ; les valeurs en dehors vont au premier ou au dernier niveau.

Chaque mesure est obtenue par des sommes en fenêtre mobile : une fenêtre de 31 x 31 ne coûte donc pas plus qu'une fenêtre de 3 x 3. Le raster est traité par blocs qui se recouvrent d'une demi-fenêtre, et le résultat est identique à celui obtenu sur le raster entier en une fois, sans coutures. Les pixels sans donnée ne comptent dans aucune fenêtre ; un pixel sans donnée est sans donnée (NaN) en sortie ; les fenêtres au bord du raster utilisent les pixels situés à l'intérieur de celui-ci.

Bandes : par défaut, la bande décrite comme NIR (sa description commence par « nir », comme l'écrivent « Importer un produit Sentinel-2 / Landsat », « Aligner et empiler des rasters » et « Indices spectraux », p. ex. « nir (B08) », ou vaut simplement « NIR ») ; à défaut, la bande 1, avec un avertissement dans le journal.

Sortie : float32 (nodata NaN), une bande par mesure et par bande, nommée par exemple « B8 variance 7x7 » ; avec « Ajouter aux bandes d'entrée », les bandes d'entrée viennent en premier. Chaque bande consigne la façon dont elle a été produite dans ses métadonnées LANDCOVER_FEATURE.

Exemple : sur une pile Sentinel-2 avec le NDVI ajouté, la bande NIR (7) avec une fenêtre de 7, mesures variance et entropie, ajoutées à l'entrée : une pile de variables où les champs et les forêts de couleur semblable se distinguent par leur texture.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="92"/>
        <source>Bands to measure, each giving one output band per measure. Empty: the band described as NIR, else band 1 (with a warning).</source>
        <translation>Bandes à mesurer, chacune donnant une bande de sortie par mesure. Vide : la bande décrite comme NIR, sinon la bande 1 (avec un avertissement).</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="182"/>
        <source>Band {0} does not exist: the input has {1}.</source>
        <translation>La bande {0} n'existe pas : l'entrée a {1}.</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="182"/>
        <source>{0} band</source>
        <translation>{0} bande</translation>
    </message>
    <message>
        <location filename="../algorithms/texture.py" line="182"/>
        <source>{0} bands</source>
        <translation>{0} bandes</translation>
    </message>
</context>
<context>
    <name>TrainClassifier</name>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="75"/>
        <source>Train classifier</source>
        <translation>Entraîner un classifieur</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="129"/>
        <source>Feature raster</source>
        <translation>Raster de variables</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="129"/>
        <source>The bands the classifier learns from (bands, indices, texture). Classify later with a raster of the same bands in the same order.</source>
        <translation>Les bandes dont le classifieur apprend (bandes, indices, texture). Classez ensuite avec un raster ayant les mêmes bandes dans le même ordre.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="136"/>
        <source>Training polygons or points</source>
        <translation>Polygones ou points d'entraînement</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="136"/>
        <source>Features of known class, in any CRS. Polygons give the pixels whose centre they contain; points give the pixel they fall in.</source>
        <translation>Entités de classe connue, dans n'importe quel SCR. Un polygone fournit les pixels dont il contient le centre ; un point fournit le pixel dans lequel il tombe.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="416"/>
        <source>Class field</source>
        <translation>Champ de classe</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="182"/>
        <source>Random Forest is robust and fast and a good default. Gaussian maximum likelihood is the classic remote-sensing classifier; SVM and k-nearest neighbours work on standardised bands.</source>
        <translation>La forêt aléatoire est robuste et rapide : un bon choix par défaut. Le maximum de vraisemblance gaussien est le classifieur classique de la télédétection ; SVM et k plus proches voisins travaillent sur des bandes standardisées.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="189"/>
        <source>Number of trees (forests and boosting)</source>
        <translation>Nombre d'arbres (forêts et boosting)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="189"/>
        <source>Trees of Random Forest and Extra Trees, or boosting iterations. More trees are steadier but slower to train and to classify.</source>
        <translation>Arbres de la forêt aléatoire et des Extra Trees, ou itérations du boosting. Davantage d'arbres donnent un résultat plus stable mais ralentissent l'entraînement et la classification.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="200"/>
        <source>Maximum tree depth (0: unlimited)</source>
        <translation>Profondeur maximale des arbres (0 : illimitée)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="200"/>
        <source>Limits how deep each tree grows; smaller trees classify faster.</source>
        <translation>Limite la profondeur de chaque arbre ; des arbres plus petits classent plus vite.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="208"/>
        <source>Minimum samples per leaf (trees)</source>
        <translation>Nombre minimal d'échantillons par feuille (arbres)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="208"/>
        <source>Random Forest and Extra Trees: leaves hold at least this many pixels.</source>
        <translation>Forêt aléatoire et Extra Trees : chaque feuille contient au moins ce nombre de pixels.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="214"/>
        <source>Learning rate (boosting)</source>
        <translation>Taux d'apprentissage (boosting)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="214"/>
        <source>Histogram Gradient Boosting: shrinkage of each iteration.</source>
        <translation>Gradient boosting sur histogrammes : facteur de réduction (shrinkage) de chaque itération.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="221"/>
        <source>SVM regularisation C</source>
        <translation>Régularisation C du SVM</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="221"/>
        <source>SVM: larger values fit the training pixels more closely.</source>
        <translation>SVM : des valeurs plus grandes ajustent plus étroitement les pixels d'entraînement.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="227"/>
        <source>SVM kernel gamma (0: automatic)</source>
        <translation>Gamma du noyau SVM (0 : automatique)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="227"/>
        <source>SVM: width of the RBF kernel; 0 uses 1 / (bands × variance).</source>
        <translation>SVM : largeur du noyau RBF ; 0 utilise 1 / (bandes × variance).</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="233"/>
        <source>Neighbours (k-nearest neighbours)</source>
        <translation>Voisins (k plus proches voisins)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="233"/>
        <source>k-nearest neighbours: how many neighbours vote.</source>
        <translation>k plus proches voisins : nombre de voisins qui votent.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="242"/>
        <source>Maximum training pixels per class (0: all)</source>
        <translation>Nombre maximal de pixels d'entraînement par classe (0 : tous)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="242"/>
        <source>At most this many pixels per class, drawn at random from all its features, for training (and as many for validation). Keeps training quick and memory small on large polygons.</source>
        <translation>Au plus ce nombre de pixels par classe, tirés au hasard parmi toutes ses entités, pour l'entraînement (et autant pour la validation). Garde l'entraînement rapide et la mémoire réduite sur de grands polygones.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="256"/>
        <source>Balance classes</source>
        <translation>Équilibrer les classes</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="256"/>
        <source>Train on as many pixels of every class as the smallest class has, so a large class does not dominate.</source>
        <translation>Entraîne sur autant de pixels de chaque classe que la plus petite classe en compte, pour qu'une grande classe ne domine pas.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="266"/>
        <source>Use every pixel a polygon touches</source>
        <translation>Utiliser chaque pixel touché par un polygone</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="266"/>
        <source>Off: pixels whose centre lies inside a polygon. On: every pixel a polygon touches, for polygons smaller than a pixel (edge pixels are often mixed).</source>
        <translation>Désactivé : les pixels dont le centre est à l'intérieur d'un polygone. Activé : chaque pixel touché par un polygone, pour des polygones plus petits qu'un pixel (les pixels de bordure sont souvent mixtes).</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="278"/>
        <source>Share of polygons held out for validation</source>
        <translation>Part des polygones mis de côté pour la validation</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="278"/>
        <source>This share of each class&apos;s features is kept out of training and used to validate the model (0: no hold-out). A class with a single feature stays in training.</source>
        <translation>Cette part des entités de chaque classe est exclue de l'entraînement et sert à valider le modèle (0 : aucune mise de côté). Une classe qui n'a qu'une entité reste dans l'entraînement.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="293"/>
        <source>Parameter tuning</source>
        <translation>Réglage des paramètres</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="293"/>
        <source>None</source>
        <translation>Aucun</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="293"/>
        <source>Grid search</source>
        <translation>Recherche sur grille</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="293"/>
        <source>Randomised search</source>
        <translation>Recherche aléatoire</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="293"/>
        <source>Try several parameter sets by cross-validation grouped by polygon and keep the best. Grid search tries a small fixed grid; randomised search 8 draws.</source>
        <translation>Essaie plusieurs jeux de paramètres par validation croisée regroupée par polygone et garde le meilleur. La recherche sur grille essaie une petite grille fixe ; la recherche aléatoire, 8 tirages.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="305"/>
        <source>Cross-validation folds (0: none)</source>
        <translation>Plis de validation croisée (0 : aucun)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="305"/>
        <source>Folds of the cross-validation on the training polygons, grouped by polygon. Fewer are used when there are fewer polygons; 0 or 1 skips it.</source>
        <translation>Plis de la validation croisée sur les polygones d'entraînement, regroupés par polygone. Moins de plis sont utilisés s'il y a moins de polygones ; 0 ou 1 la désactive.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="320"/>
        <source>The same seed, inputs and settings give the same model.</source>
        <translation>La même graine, les mêmes entrées et les mêmes réglages donnent le même modèle.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="323"/>
        <source>Model file</source>
        <translation>Fichier de modèle</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="323"/>
        <source>The trained model (.lcmodel), for &apos;Classify raster&apos;.</source>
        <translation>Le modèle entraîné (.lcmodel), pour « Classifier un raster ».</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="326"/>
        <source>Training report</source>
        <translation>Rapport d'entraînement</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="326"/>
        <source>Self-contained HTML report; opens in any browser without network.</source>
        <translation>Rapport HTML autonome ; s'ouvre dans tout navigateur sans réseau.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="330"/>
        <source>Held-out validation features</source>
        <translation>Entités de validation mises de côté</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="330"/>
        <source>The features kept out of training, with all their fields, in the training layer&apos;s CRS: use them as the reference of &apos;Accuracy assessment&apos;.</source>
        <translation>Les entités exclues de l'entraînement, avec tous leurs champs, dans le SCR de la couche d'entraînement : utilisez-les comme référence dans « Évaluation de la précision ».</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="343"/>
        <source>Cross-validated overall accuracy</source>
        <translation>Précision globale en validation croisée</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="346"/>
        <source>Overall accuracy on held-out features</source>
        <translation>Précision globale sur les entités mises de côté</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="379"/>
        <source>Classes: {0}</source>
        <translation>Classes : {0}</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="81"/>
        <source>Trains a classifier on the pixels of a feature raster under training polygons (or points) drawn in QGIS, estimates its accuracy honestly and saves it as a model file for &apos;Classify raster&apos;.

The training layer may be in any CRS: it is reprojected to the raster&apos;s. The class field may hold names (&apos;forest&apos;, &apos;water&apos;: coded 1, 2, ... in alphabetical order) or integer codes (kept as they are; 0 and below, nodata in class rasters, go to the codes after the largest, with a warning and the mapping in the class names). A class whose features give no valid pixel is dropped with a warning naming them. Class colours come from the layer&apos;s categorised style on the class field when it has one, otherwise from a distinct palette; names and colours are stored in the model and appear in every map made with it. Pixels that are nodata, NaN or infinite in any band are dropped and counted; pixels claimed by polygons of different classes are dropped and reported.

Points labelled after &apos;Where to label next&apos; join the training either as an additional training layer (their &apos;reference_class&apos; field, named as the training layer names classes), or merged into the training layer: a feature whose class field is empty takes its class from a &apos;reference_class&apos; field. Points left without a class are skipped.

Validation holds out whole polygons (a share of each class&apos;s polygons), never pixels of one polygon on both sides, which would overstate accuracy. Cross-validation folds are grouped by polygon too; optional tuning tries parameter sets by that cross-validation and keeps the best.

Outputs: the model file (.lcmodel: JSON and plain arrays, opening it never runs code, it loads with any scikit-learn version); an HTML report (samples per class, scores, confusion matrices, band importance); the held-out polygons, ready for &apos;Accuracy assessment&apos;; the cross-validated and held-out overall accuracies as numbers.

Example: a 10-band Sentinel-2 stack with NDVI, polygons in EPSG:4326 with a text field &apos;landcover&apos;, Random Forest with 100 trees, 30% of the polygons held out.</source>
        <translation>Entraîne un classifieur sur les pixels d'un raster de variables situés sous des polygones (ou points) d'entraînement dessinés dans QGIS, estime honnêtement sa précision et l'enregistre dans un fichier de modèle pour « Classifier un raster ».

La couche d'entraînement peut être dans n'importe quel SCR : elle est reprojetée dans celui du raster. Le champ de classe peut contenir des noms (« forêt », « eau » : codés 1, 2, ... par ordre alphabétique) ou des codes entiers (conservés tels quels ; les codes 0 et inférieurs, qui signifient nodata dans les rasters de classes, reçoivent les codes qui suivent le plus grand, avec un avertissement et la correspondance dans les noms de classes). Une classe dont les entités ne donnent aucun pixel valide est écartée, avec un avertissement qui les nomme. Les couleurs des classes proviennent du style catégorisé de la couche sur le champ de classe s'il en existe un, sinon d'une palette de couleurs distinctes ; noms et couleurs sont enregistrés dans le modèle et apparaissent dans toutes les cartes produites avec celui-ci. Les pixels sans donnée, NaN ou infinis dans une bande quelconque sont écartés et comptés ; les pixels revendiqués par des polygones de classes différentes sont écartés et signalés.

Les points étiquetés après « Où étiqueter ensuite » rejoignent l'entraînement soit comme couche d'entraînement supplémentaire (par leur champ « reference_class », qui nomme les classes comme la couche d'entraînement), soit fusionnés dans la couche d'entraînement : une entité dont le champ de classe est vide prend alors sa classe dans un champ « reference_class ». Les points restés sans classe sont ignorés.

La validation met de côté des polygones entiers (une part des polygones de chaque classe), jamais des pixels d'un même polygone des deux côtés, ce qui surestimerait la précision. Les plis de la validation croisée sont eux aussi groupés par polygone ; un réglage facultatif essaie des jeux de paramètres par cette validation croisée et conserve le meilleur.

Sorties : le fichier de modèle (.lcmodel : JSON et tableaux simples ; l'ouvrir n'exécute jamais de code, et il se charge avec n'importe quelle version de scikit-learn) ; un rapport HTML (échantillons par classe, scores, matrices de confusion, importance des bandes) ; les polygones mis de côté, prêts pour « Évaluation de la précision » ; les précisions globales en validation croisée et sur les polygones mis de côté, sous forme de nombres.

Exemple : une pile Sentinel-2 à 10 bandes avec le NDVI, des polygones en EPSG:4326 avec un champ texte « landcover », Random Forest à 100 arbres, 30 % des polygones mis de côté.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="136"/>
        <source>Field holding each feature&apos;s class: a name (text) or an integer code.</source>
        <translation>Champ contenant la classe de chaque entité : un nom (texte) ou un code entier.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="145"/>
        <source>Additional training points (labelled)</source>
        <translation>Points d'entraînement supplémentaires (étiquetés)</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="145"/>
        <source>Optional: points of &apos;Where to label next&apos; with their &apos;reference_class&apos; filled in (the same names or codes as the training layer), trained on together with the training layer.</source>
        <translation>Facultatif : points issus de « Où étiqueter ensuite » dont le champ « reference_class » est rempli (mêmes noms ou codes que dans la couche d'entraînement), utilisés pour l'entraînement conjointement avec la couche d'entraînement.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="158"/>
        <source>Class field of the additional points</source>
        <translation>Champ de classe des points supplémentaires</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="158"/>
        <source>Field holding the class of each additional point.</source>
        <translation>Champ contenant la classe de chaque point supplémentaire.</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="414"/>
        <source>Input raster</source>
        <translation>Raster d'entrée</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="415"/>
        <source>Training layer</source>
        <translation>Couche d'entraînement</translation>
    </message>
    <message>
        <location filename="../algorithms/trainclassifier.py" line="430"/>
        <source>No feature was held out for validation (the share held out is 0, or no class has two features), so the held-out validation features were not written. Draw more polygons per class or raise the share.</source>
        <translation>Aucune entité n'a été mise de côté pour la validation (la part mise de côté est de 0, ou aucune classe n'a deux entités) : les entités de validation mises de côté n'ont donc pas été écrites. Dessinez davantage de polygones par classe ou augmentez la part.</translation>
    </message>
</context>
<context>
    <name>WhereToLabelNext</name>
    <message>
        <location filename="../algorithms/activelearning.py" line="55"/>
        <source>Where to label next</source>
        <translation>Où étiqueter ensuite</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="61"/>
        <source>Proposes the next points to label, where the classification is least sure, so that each labelling round improves the map as much as possible (active learning).

Inputs: the &apos;Uncertainty&apos; output of &apos;Classify raster&apos; and the class map of the same run (or a cleaned version of it on the same grid); optionally the existing training features, from which proposed points keep the minimum distance. The uncertainty measure is a small margin between the two most probable classes, a high entropy, or a low probability of the chosen class. Points are drawn at random with a weight that grows with the uncertainty (its square), each at least the minimum distance (map units; 0: five pixels) from the others: they go where the map hesitates without all piling onto the most ambiguous pixels, which are often mixed pixels that mislead the next model. With &apos;Equal share per mapped class&apos; every mapped class gets an equal share, so rare classes get points too. Fewer points come back when too few pixels qualify; the same random seed gives the same points.

Output: points in the raster&apos;s CRS with &apos;map_class&apos;, &apos;map_name&apos;, &apos;uncertainty&apos; (the value of the measure), &apos;rank&apos; (the order of the draw) and an empty &apos;reference_class&apos;. Look at each point on imagery, type its true class into &apos;reference_class&apos; (as the training layer names classes: a name or a code), and give the layer to &apos;Train classifier&apos; as additional training points, or merge it into the training layer.

Example: 100 points, margin, an equal share per class, the training polygons of the first round as existing training features.</source>
        <translation>Propose les prochains points à étiqueter, là où la classification est la moins sûre, afin que chaque cycle d'étiquetage améliore la carte autant que possible (apprentissage actif).

Entrées : la sortie « Incertitude » de « Classifier un raster » et la carte de classes de la même exécution (ou une version nettoyée de celle-ci sur la même grille) ; éventuellement les entités d'entraînement existantes, dont les points proposés restent éloignés d'au moins la distance minimale. La mesure d'incertitude est une faible marge entre les deux classes les plus probables, une entropie élevée ou une faible probabilité de la classe choisie. Les points sont tirés au hasard avec un poids qui croît avec l'incertitude (son carré), chacun à au moins la distance minimale (en unités de carte ; 0 : cinq pixels) des autres : ils vont là où la carte hésite, sans s'entasser tous sur les pixels les plus ambigus, qui sont souvent des pixels mixtes trompant le modèle suivant. Avec « Part égale par classe cartographiée », chaque classe cartographiée reçoit une part égale, de sorte que les classes rares reçoivent elles aussi des points. Moins de points sont renvoyés lorsque trop peu de pixels remplissent les conditions ; la même graine aléatoire donne les mêmes points.

Sortie : des points dans le SCR du raster avec « map_class », « map_name », « uncertainty » (la valeur de la mesure), « rank » (l'ordre du tirage) et un champ « reference_class » vide. Examinez chaque point sur l'imagerie, saisissez sa classe réelle dans « reference_class » (comme la couche d'entraînement nomme les classes : un nom ou un code), puis fournissez la couche à « Entraîner un classifieur » comme points d'entraînement supplémentaires, ou fusionnez-la dans la couche d'entraînement.

Exemple : 100 points, marge, une part égale par classe, les polygones d'entraînement du premier cycle comme entités d'entraînement existantes.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="88"/>
        <source>Uncertainty</source>
        <translation>Incertitude</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="89"/>
        <source>The &apos;Uncertainty&apos; output of &apos;Classify raster&apos; (bands max probability, margin, entropy).</source>
        <translation>La sortie « Incertitude » de « Classifier un raster » (bandes probabilité maximale, marge, entropie).</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="97"/>
        <source>Uncertainty measure</source>
        <translation>Mesure d'incertitude</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="97"/>
        <source>Margin (smallest first)</source>
        <translation>Marge (la plus petite d'abord)</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="97"/>
        <source>Entropy (highest first)</source>
        <translation>Entropie (la plus élevée d'abord)</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="97"/>
        <source>Max probability (lowest first)</source>
        <translation>Probabilité max (la plus faible d'abord)</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="107"/>
        <source>Margin targets pixels torn between two classes, entropy pixels spread over many, max probability pixels whose chosen class is weak.</source>
        <translation>La marge cible les pixels tiraillés entre deux classes, l'entropie ceux répartis entre de nombreuses classes, la probabilité max ceux dont la classe choisie est peu sûre.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="115"/>
        <source>Class map</source>
        <translation>Carte de classes</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="116"/>
        <source>The class map of the same classification, giving each point&apos;s map class.</source>
        <translation>La carte de classes de la même classification, qui donne la classe cartographiée de chaque point.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="121"/>
        <source>Existing training features</source>
        <translation>Entités d'entraînement existantes</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="127"/>
        <source>Optional: the training layer; proposed points keep the minimum distance from it.</source>
        <translation>Facultatif : la couche d'entraînement ; les points proposés en restent éloignés d'au moins la distance minimale.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="134"/>
        <source>Number of points</source>
        <translation>Nombre de points</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="142"/>
        <source>How many points to propose in this round.</source>
        <translation>Nombre de points à proposer lors de ce cycle.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="145"/>
        <source>Minimum distance (map units, 0: five pixels)</source>
        <translation>Distance minimale (unités de carte, 0 : cinq pixels)</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="152"/>
        <source>Distance kept between proposed points and from the training features, in the raster&apos;s map units; 0 means five pixels.</source>
        <translation>Distance maintenue entre les points proposés, et entre ceux-ci et les entités d'entraînement, en unités de carte du raster ; 0 signifie cinq pixels.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="160"/>
        <source>Equal share per mapped class</source>
        <translation>Part égale par classe cartographiée</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="163"/>
        <source>Give every mapped class the same number of points, so rare classes get some.</source>
        <translation>Attribuer à chaque classe cartographiée le même nombre de points, pour que les classes rares en reçoivent aussi.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="168"/>
        <source>The same seed always gives the same points.</source>
        <translation>La même graine donne toujours les mêmes points.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="170"/>
        <source>Points to label</source>
        <translation>Points à étiqueter</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="173"/>
        <source>Points with &apos;map_class&apos;, &apos;map_name&apos;, &apos;uncertainty&apos;, &apos;rank&apos; and an empty &apos;reference_class&apos; to fill in.</source>
        <translation>Points avec « map_class », « map_name », « uncertainty », « rank » et un champ « reference_class » vide à remplir.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="234"/>
        <source>  {0} {1}: {2} points ({3} candidate pixels)</source>
        <translation>  {0} {1} : {2} points ({3} pixels candidats)</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="241"/>
        <source>Only {0} of {1} points could be placed {2:g} map units apart; lower the minimum distance for more.</source>
        <translation>Seuls {0} points sur {1} ont pu être placés à {2:g} unités de carte les uns des autres ; réduisez la distance minimale pour en obtenir davantage.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="259"/>
        <source>The training layer has no CRS, so its features cannot be placed on the raster. Set its CRS (Layer Properties ▸ Source) and run again.</source>
        <translation>La couche d'entraînement n'a pas de SCR : ses entités ne peuvent donc pas être placées sur le raster. Définissez son SCR (Propriétés de la couche ▸ Source) et relancez.</translation>
    </message>
    <message>
        <location filename="../algorithms/activelearning.py" line="272"/>
        <source>Cancelled by the user; no output was written.</source>
        <translation>Annulé par l'utilisateur ; aucune sortie n'a été écrite.</translation>
    </message>
</context>
</TS>
